// The detached trainer (issue 13: a window reload never stops training), with the real trainer
// bundle on real TensorFlow and tiny step counts: it outlives the host that launched it, a new
// window reattaches over its socket and gets the real step, history and later progress; with no
// window it checkpoints and stops after its grace period, or trains on when told to; malformed
// socket lines are rejected, logged and ignored on both sides; and no second process can take,
// resume or delete the run it trains. No durations are asserted: every wait is on an event.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { test } from 'node:test';
import { isProcessAlive, lockState, RunLock, RunLockedError } from '../../runStore/runLock';
import { RunStore } from '../../runStore/runStore';
import { TRAINER_LOG_FILE, trainerSocketAddress } from '../../runStore/trainerSocketAddress';
import { encodeLine, LineDecoder } from '../../shared/lineFraming';
import { DetachedTrainer } from '../../src/session/detachedTrainer';
import { Follower, launchDetachedRun, ownerPid, processGone } from '../support/detachedRun';
import { jsonEvents } from '../support/jsonLines';
import { cliBundle, tempDir } from '../support/paths';
import { TrainerUnderTest } from '../support/trainerUnderTest';

const killQuietly = (pid: number) => { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } };

test('the trainer outlives its SIGKILLed host; a new window reattaches with the real step, the history so far and later progress; malformed lines are refused; no second process can take, resume or delete the run; Stop ends it resumable', async (t) => {
  const root = tempDir('detached');
  const host = spawn(process.execPath, [path.join(__dirname, '..', 'support', 'detachingHost.js'), root], { stdio: ['ignore', 'pipe', 'inherit'] });
  const events = jsonEvents(host);
  const started = await events.waitFor((e) => e.event === 'started');
  const runId = started.runId as string;
  const runDir = started.runDir as string;
  const store = new RunStore(root);
  const trainerPid = ownerPid(store, runId);
  t.after(() => killQuietly(trainerPid));
  assert.notEqual(trainerPid, host.pid, 'the trainer holds the run\'s lock, not the host that launched it');
  await events.waitFor((e) => e.event === 'progress' && (e.step as number) >= 3);

  host.kill('SIGKILL');
  await new Promise((resolve) => host.once('exit', resolve));
  assert.equal(isProcessAlive(trainerPid), true, 'the trainer trains on without its host');
  const run = store.get(runId)!;
  assert.equal(run.status, 'running');
  assert.equal(run.attachable, true);
  assert.equal(run.lockedElsewhere, true, 'no window id given: the store sees another window\'s run');
  assert.equal(new RunStore(root, () => {}, Date.now, 'window-1').get(runId)!.lockedElsewhere, false, 'the window it trains for sees its own run');

  // A reloaded window reattaches: the replay carries the real step and the history so far.
  const window = new Follower(DetachedTrainer.attach(runDir, trainerPid));
  await window.waitFor('ready');
  const replay = await window.waitFor('started');
  assert.ok(replay.startStep >= 3, `the real step, not 0 (got ${replay.startStep})`);
  assert.deepEqual(replay.history.progress.map((p) => p.step), Array.from({ length: replay.startStep }, (_, i) => i + 1), 'every step so far, from history.jsonl');
  const later = await window.waitFor('progress', (m) => m.progress.step > replay.startStep);
  assert.equal(later.progress.step, replay.startStep + 1, 'then the live steps, none missed');

  // Malformed lines on the socket: each refused with a non-fatal error to that client and logged; the trainer goes on.
  const raw = net.createConnection(trainerSocketAddress(runDir));
  const rawDecoder = new LineDecoder();
  const rawReceived: unknown[] = [];
  let answered: () => void = () => {};
  const describeAnswered = new Promise<void>((resolve) => { answered = resolve; });
  raw.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of rawDecoder.push(chunk)) {
      assert.ok(line.ok, 'the trainer writes only JSON lines');
      rawReceived.push(line.value);
      if ((line.value as { type: string }).type === 'blockDetails') answered();
    }
  });
  raw.write('this is not json\n');
  raw.write(encodeLine({ type: 'pause', extra: 1 }));
  raw.write(encodeLine({ type: 'describeBlock', requestId: 1, blockId: 'fc1' }));
  await describeAnswered;
  const errors = rawReceived.filter((m) => (m as { type: string }).type === 'error') as { message: string; fatal: boolean }[];
  assert.deepEqual(errors.map((e) => [e.message, e.fatal]), [
    ['dropped a malformed message from a window: a line that is not JSON: this is not json', false],
    ['dropped a malformed message from a window: pause has an unknown field "extra"', false],
  ]);
  const reply = rawReceived.find((m) => (m as { type: string }).type === 'blockDetails') as { requestId: number; details: { blockId: string } };
  assert.deepEqual([reply.requestId, reply.details.blockId], [1, 'fc1'], 'the reply goes to the client that asked, under its own request id');
  assert.equal(window.received.some((m) => m.type === 'blockDetails' || (m.type === 'error' && !m.fatal)), false, 'the other window hears neither the refusals nor the reply');
  raw.destroy();
  const log = fs.readFileSync(path.join(runDir, TRAINER_LOG_FILE), 'utf8');
  assert.match(log, /dropped a malformed message from a window: a line that is not JSON: this is not json/);
  const afterGarbage = window.received.filter((m) => m.type === 'progress').length;
  await window.waitFor('progress', () => window.received.filter((m) => m.type === 'progress').length > afterGarbage);
  assert.equal(window.received.some((m) => m.type === 'runState'), false, 'the refused pause changed nothing');

  // A second process on the same runs root cannot clobber the run: not its lock, not resume, not delete.
  assert.throws(() => RunLock.acquire(runDir, 'extension'), RunLockedError);
  assert.throws(() => store.resume(runId, 'extension'), /cannot be resumed: it is being trained by another window \(pid \d+\)/);
  assert.throws(() => store.delete(runId), /cannot be deleted: it is being trained by another window \(pid \d+\)/);
  const cli = spawn(process.execPath, [cliBundle, '--runs-dir', root, '--resume', '--run', runId], { stdio: ['ignore', 'ignore', 'pipe'] });
  let cliStderr = '';
  cli.stderr.setEncoding('utf8').on('data', (chunk: string) => { cliStderr += chunk; });
  const cliCode = await new Promise((resolve) => cli.once('exit', resolve));
  assert.notEqual(cliCode, 0);
  assert.match(cliStderr, /cannot be resumed: it is being trained by another window/);
  // A second trainer launched on the run cannot take it over from the first.
  const intruder = new TrainerUnderTest();
  await intruder.waitFor('ready');
  intruder.send({ type: 'start', config: run.manifest.config, checkpointDir: run.checkpointDir, resume: true, architecture: null, detached: { runDir, windowId: 'window-2', graceMs: 1000, keepTraining: false } });
  const refused = await intruder.waitFor('error', (m) => m.fatal);
  assert.match(refused.message, /cannot be handed over: it is being trained by another window \(pid \d+\)/);
  await intruder.exited;
  assert.equal(lockState(runDir).kind === 'held' && (lockState(runDir) as { owner: { pid: number } }).owner.pid, trainerPid, 'the lock is still the first trainer\'s');
  assert.equal(isProcessAlive(trainerPid), true);

  // Stop from the reattached window: a checkpoint, run.json says stopped, the lock is released.
  window.trainer.send({ type: 'stop' });
  const finished = await window.waitFor('finished');
  assert.equal(finished.summary.outcome, 'stopped');
  await processGone(trainerPid);
  const stopped = store.get(runId)!;
  assert.equal(stopped.status, 'stopped');
  assert.equal(stopped.hasCheckpoint, true);
  assert.equal(stopped.lock.kind, 'free');
  assert.equal(stopped.manifest.metrics.stepsDone, finished.summary.stepsDone);
  assert.equal(store.history(runId).progress.at(-1)!.step, finished.summary.stepsDone, 'the trainer recorded every step itself');
});

/** Launches a run, leaves it after its first steps (the window closes) and waits for its trainer to end; its run folder then. */
async function leftUnattended(t: { after: (fn: () => void) => void }, options: { steps: number; graceMs: number; keepTraining: boolean }) {
  const root = tempDir('unattended');
  const { follower, runId, runDir, pid } = launchDetachedRun(root, options);
  await follower.waitFor('progress', (m) => m.progress.step >= 2);
  const trainerPid = pid();
  t.after(() => killQuietly(trainerPid));
  follower.trainer.disconnect!();
  await processGone(trainerPid);
  const store = new RunStore(root);
  return { run: store.get(runId)!, history: store.history(runId), log: fs.readFileSync(path.join(runDir, TRAINER_LOG_FILE), 'utf8') };
}

test('with no window attached for its grace period the trainer writes a checkpoint and stops, resumable', async (t) => {
  const { run, log } = await leftUnattended(t, { steps: 100_000, graceMs: 300, keepTraining: false });
  assert.equal(run.status, 'stopped');
  assert.equal(run.hasCheckpoint, true, 'a checkpoint to resume from');
  assert.equal(run.lock.kind, 'free');
  assert.ok(run.manifest.metrics.stepsDone >= 2);
  assert.match(log, /no window attached: writing a checkpoint and stopping/);
});

test('with keepTraining the trainer trains on to its last step with no window attached', async (t) => {
  const steps = 25;
  const { run, history, log } = await leftUnattended(t, { steps, graceMs: 50, keepTraining: true });
  assert.equal(run.status, 'finished');
  assert.equal(run.manifest.metrics.stepsDone, steps);
  assert.equal(history.progress.length, steps);
  assert.match(log, /no window attached: training on to the end/);
});

test('a window refuses malformed lines from the socket (not JSON, or failing the guard), reports each, and goes on', async (t) => {
  const runDir = tempDir('socket-garbage');
  const server = net.createServer((socket) => {
    socket.write('{"type":"ready"\n');
    socket.write(encodeLine({ type: 'progress' }));
    socket.write(encodeLine({ type: 'runState', state: 'running' }));
  });
  await new Promise<void>((resolve) => server.listen(trainerSocketAddress(runDir), resolve));
  t.after(() => server.close());
  const window = new Follower(DetachedTrainer.attach(runDir, process.pid));
  await window.waitFor('runState');
  assert.deepEqual(window.rejected, ['a line that is not JSON: {"type":"ready"', 'progress.progress is missing']);
  assert.deepEqual(window.received, [{ type: 'runState', state: 'running' }]);
  window.trainer.disconnect!();
});
