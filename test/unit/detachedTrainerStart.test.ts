// A detached trainer is independent of its window from the moment it is spawned: its start orders
// are in its run folder and the run's lock names it before the launching host's tick ends. So a
// host SIGKILLed in that very tick (a window reloaded or crashed right after Train) loses nothing:
// the run is never shown crashed, a new window attaches (waiting while the trainer still loads
// TensorFlow), hears it start and train, and can stop it. Missing or malformed start orders end
// the trainer with a readable error in run.json and trainer.log, never a hang or a stack trace.
// Real trainer bundle, real TensorFlow; no durations asserted: every wait is on an event.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { seedResNetArchitecture } from '../../shared/architecture';
import { isProcessAlive, lockState } from '../../runStore/runLock';
import { RunStore } from '../../runStore/runStore';
import { START_ORDERS_FILE } from '../../runStore/startOrders';
import { TRAINER_LOG_FILE } from '../../runStore/trainerSocketAddress';
import { DetachedTrainer } from '../../src/session/detachedTrainer';
import { Follower, processGone, tinyConfig } from '../support/detachedRun';
import { tempDir, trainerBundle } from '../support/paths';

const killQuietly = (pid: number) => { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } };

test('a host SIGKILLed in the tick it launches the trainer loses nothing: the run is never crashed, a new window attaches, hears it start and train, and stops it', async (t) => {
  const root = tempDir('die-at-launch');
  const host = spawn(process.execPath, [path.join(__dirname, '..', 'support', 'detachingHost.js'), root, 'die-at-launch'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  host.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
  const [, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => host.once('close', (code, sig) => resolve([code, sig])));
  assert.equal(signal, 'SIGKILL', 'the host died at launch');
  const { runId, runDir, trainerPid } = JSON.parse(out.trim().split('\n')[0]!) as { runId: string; runDir: string; trainerPid: number };
  t.after(() => killQuietly(trainerPid));
  assert.notEqual(trainerPid, host.pid, 'the lock named the trainer before the host died');

  const store = new RunStore(root, () => {}, Date.now, 'window-1');
  const atDeath = store.get(runId)!;
  assert.equal(atDeath.status, 'running', 'not crashed: the lock names the live trainer, not the dead host');
  assert.deepEqual(atDeath.lock.kind === 'held' && [atDeath.lock.owner.pid, atDeath.lock.owner.window], [trainerPid, 'window-1']);
  assert.equal(atDeath.attachable, true, 'a reloaded window finds it by the lock');
  assert.ok(fs.existsSync(path.join(runDir, START_ORDERS_FILE)), 'its start orders are in the run folder');

  // The reloaded window attaches (waiting while the trainer loads TensorFlow and begins to listen).
  const window = new Follower(DetachedTrainer.attach(runDir, trainerPid));
  await window.waitFor('ready');
  assert.equal(store.get(runId)!.status, 'running');
  const started = await window.waitFor('started');
  assert.deepEqual([started.config.steps, started.config.batchSize], [tinyConfig(100_000).steps, 4], 'the run started on the host\'s orders');
  await window.waitFor('progress', (m) => m.progress.step >= 2);
  assert.equal(isProcessAlive(trainerPid), true);
  // Its orders come from its run folder only: a `start` on the socket changes nothing.
  window.trainer.send({ type: 'start', config: tinyConfig(3), checkpointDir: path.join(runDir, 'elsewhere'), resume: false, architecture: null, detached: null });
  const refused = await window.waitFor('error');
  assert.deepEqual([refused.message, refused.fatal], ['This trainer starts on its run\'s start.json; start ignored.', false]);
  assert.equal(store.get(runId)!.status, 'running');

  window.trainer.send({ type: 'stop' });
  const finished = await window.waitFor('finished');
  assert.equal(finished.summary.outcome, 'stopped');
  await processGone(trainerPid);
  const stopped = store.get(runId)!;
  assert.deepEqual([stopped.status, stopped.lock.kind, stopped.hasCheckpoint], ['stopped', 'free', true]);
  assert.equal(stopped.manifest.metrics.stepsDone, finished.summary.stepsDone);
  assert.equal(store.history(runId).progress.at(-1)!.step, finished.summary.stepsDone, 'the trainer recorded every step itself');
});

/** Launches the real trainer on a new run whose start.json is `orders` (undefined: none), as a window would; the trainer's exit, run and log once it ends. */
async function launchWithOrders(t: { after: (fn: () => void) => void }, orders: ((runDir: string, checkpointDir: string) => string) | undefined) {
  const root = tempDir('start-orders');
  const store = new RunStore(root);
  const config = tinyConfig(10);
  const writer = store.create(config, seedResNetArchitecture(config.keepProb), 'extension');
  if (orders) fs.writeFileSync(path.join(writer.dir, START_ORDERS_FILE), orders(writer.dir, writer.checkpointDir));
  const trainer = DetachedTrainer.launchOn(trainerBundle, {}, writer.dir, 'window-1');
  const follower = new Follower(trainer);
  const exit = await new Promise<{ code: number | null }>((resolve) => trainer.onExit(resolve));
  const lock = lockState(writer.dir);
  if (lock.kind !== 'free' && lock.owner) t.after(() => killQuietly(lock.owner!.pid));
  return { exit, follower, run: store.get(writer.id)!, log: fs.readFileSync(path.join(writer.dir, TRAINER_LOG_FILE), 'utf8') };
}

const validOrders = (runDir: string, checkpointDir: string) => ({
  type: 'start', config: tinyConfig(10), checkpointDir, resume: false, architecture: null, detached: { runDir, windowId: 'window-1', graceMs: 1000, keepTraining: false },
});

const brokenOrders: [string, ((runDir: string, checkpointDir: string) => string) | undefined, RegExp][] = [
  ['missing', undefined, /^The trainer could not start: the run's start orders \(start\.json\) are missing\.$/],
  ['torn (not JSON)', (runDir, checkpointDir) => JSON.stringify(validOrders(runDir, checkpointDir)).slice(0, 40), /^The trainer could not start: the run's start orders \(start\.json\) are not JSON \(torn or foreign\)\.$/],
  ['failing the start message\'s guard', (runDir, checkpointDir) => JSON.stringify({ ...validOrders(runDir, checkpointDir), resume: 'yes' }), /^The trainer could not start: the run's start orders \(start\.json\) are malformed: start\.resume must be/],
  ['for another run folder', (runDir, checkpointDir) => JSON.stringify(validOrders(`${runDir}-elsewhere`, checkpointDir)), /^The trainer could not start: the run's start orders \(start\.json\) are not for this run folder\.$/],
];

for (const [what, orders, expected] of brokenOrders) {
  test(`start orders ${what}: the trainer ends at once, run.json says crashed with a readable error, trainer.log says why`, async (t) => {
    const { exit, follower, run, log } = await launchWithOrders(t, orders);
    assert.equal(exit.code, 1);
    assert.equal(run.status, 'crashed');
    assert.match(run.manifest.error ?? '', expected);
    assert.equal(run.lock.kind, 'free', 'the lock is released with the crash recorded');
    assert.ok(log.includes(run.manifest.error!), `trainer.log says the same: ${log}`);
    assert.doesNotMatch(`${run.manifest.error}\n${log}`, /\n\s+at /, 'no stack trace');
    assert.equal(follower.received.some((m) => m.type === 'started'), false);
  });
}
