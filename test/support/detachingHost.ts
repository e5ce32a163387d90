// A stand-in extension host in its own process: launches a detached trainer on a new run in the
// runs root given as argv[2], and prints JSON lines (the run, then each progress step) until a
// test SIGKILLs it. The trainer must outlive it. With argv[3] 'die-at-launch' it prints the run
// and the trainer's pid and SIGKILLs itself in the same tick as the launch (a window reloaded or
// crashed the moment Train was pressed, long before the trainer has loaded TensorFlow).
import * as fs from 'node:fs';
import { launchDetachedRun } from './detachedRun';

const root = process.argv[2]!;
const dieAtLaunch = process.argv[3] === 'die-at-launch';
const { follower, runId, runDir, pid } = launchDetachedRun(root, { steps: 100_000, graceMs: 600_000, keepTraining: false });
// Written synchronously: nothing may be left queued when this process dies.
const print = (event: string, payload: object) => fs.writeSync(1, `${JSON.stringify({ event, ...payload })}\n`);
if (dieAtLaunch) {
  print('launched', { runId, runDir, trainerPid: pid() });
  process.kill(process.pid, 'SIGKILL');
}
follower.trainer.onMessage((message) => {
  if (message.type === 'started') print('started', { runId, runDir });
  if (message.type === 'progress') print('progress', { step: message.progress.step });
});
