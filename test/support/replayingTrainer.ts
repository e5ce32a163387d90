// A child process that plays the trainer's part of the IPC channel from a file: it sends every
// JSON line of REPLAY_FILE to the host as a message, in order, and exits when told to stop.
import * as fs from 'node:fs';

const lines = fs.readFileSync(process.env.REPLAY_FILE!, 'utf8').split('\n').filter((line) => line.length > 0);
for (const line of lines) process.send!(JSON.parse(line));

process.on('message', (message: { type?: unknown }) => {
  if (message.type === 'stop') process.disconnect();
});
