// A child process that breaks the trainer protocol on purpose, to test the host's wrapper:
// garbage on the wire, replies to requests, and dying with requests still pending.
const mode = process.env.MISBEHAVE_MODE;

function send(message: unknown): void {
  process.send!(message);
}

send('not even an object');
send({ type: 'progress' });
send({ type: 'ready', protocolVersion: 999 });
send({ type: 'runState', state: 'running' });
process.stderr.write('a line on stderr\n');

process.on('message', (message: { type: string; requestId?: number; blockId?: string }) => {
  if (message.type !== 'describeBlock') return;
  const { requestId, blockId } = message;
  if (mode === 'die-on-request') process.kill(process.pid, 'SIGKILL');
  if (mode === 'error-reply') send({ type: 'error', message: 'no such block', fatal: false, requestId });
  // The block id picks the reply: a well-formed reply of the wrong type, a superseded notice, or the right answer.
  if (mode === 'reply-by-block') {
    if (blockId === 'wrong-type') send({ type: 'digitPrediction', requestId, prediction: { step: 3, probabilities: Array(10).fill(0.1) } });
    else if (blockId === 'superseded') send({ type: 'requestSuperseded', requestId });
    else send({ type: 'blockDetails', requestId, details: { blockId, step: 3, weights: [], activations: [] } });
  }
});
