// A stand-in extension host in its own process: launches a detached trainer on a new run in the
// runs root given as argv[2], and prints JSON lines (the run, then each progress step) until a
// test SIGKILLs it. The trainer must outlive it.
import { launchDetachedRun } from './detachedRun';

const root = process.argv[2]!;
const { follower, runId, runDir } = launchDetachedRun(root, { steps: 100_000, graceMs: 600_000, keepTraining: false });
const print = (event: string, payload: object) => process.stdout.write(`${JSON.stringify({ event, ...payload })}\n`);
follower.trainer.onMessage((message) => {
  if (message.type === 'started') print('started', { runId, runDir });
  if (message.type === 'progress') print('progress', { step: message.progress.step });
});
