// The host's session state machine, driven by a fake trainer: starts, progress, stop, resume
// after a restart, crashes, fatal errors, and calls that make no sense in the current state.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { LOCK_FILE } from '../../runStore/runLock';
import { RunStore } from '../../runStore/runStore';
import { writeManifest } from '../../runStore/runWriter';
import { seedResNetArchitecture } from '../../shared/architecture';
import { LATEST_CHECKPOINT_FILE } from '../../shared/checkpointFiles';
import { computeModelFigures } from '../../shared/modelFigures';
import { TRAINER_PROTOCOL_VERSION, type DetachedStart, type StartMessage } from '../../shared/trainerProtocol';
import { resolveConfig, type TrainingConfig } from '../../shared/trainingConfig';
import type { Execution, ProgressReport, RunSummary } from '../../shared/trainingReports';
import type { SessionSnapshot } from '../../shared/webviewProtocol';
import { MAX_PROGRESS_POINTS, SessionBusyError, STOP_GRACE_MS, TrainingSession, type RunRecord, type SessionEvent } from '../../src/session/trainingSession';
import { FakeTrainer } from '../support/fakeTrainer';
import { tempDir } from '../support/paths';

const config = resolveConfig('default', { steps: 100 });
const architecture = { spec: seedResNetArchitecture(), figures: computeModelFigures(seedResNetArchitecture()) };
const progress = (step: number): ProgressReport => ({ step, totalSteps: 100, epoch: 0, loss: 1 / step, batchAccuracy: 0.5, imagesPerSec: 100, etaSec: 10, elapsedSec: step });

function harness(records: { value?: RunRecord } = {}, root = tempDir('session'), clock = { ms: 0 }) {
  const trainers: FakeTrainer[] = [];
  const logs: string[] = [];
  const events: SessionEvent[] = [];
  const snapshots: SessionSnapshot[] = [];
  const launchedFor: TrainingConfig[] = [];
  const session = new TrainingSession(
    (launchConfig) => {
      launchedFor.push(launchConfig);
      const t = new FakeTrainer();
      trainers.push(t);
      return t;
    },
    { get: () => records.value, set: (r) => { records.value = r; } },
    root,
    { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`) },
    () => clock.ms,
  );
  session.onEvent((e) => events.push(e));
  session.onDidChange((s) => snapshots.push(s));
  return { session, trainers, logs, events, snapshots, records, root, launchedFor, clock };
}

/** Brings a fake trainer to 'running' as the real one would. */
function bootTrainer(trainer: FakeTrainer, startStep = 0, execution: Execution = 'graph'): StartMessage {
  trainer.emit({ type: 'ready', protocolVersion: TRAINER_PROTOCOL_VERSION });
  const start = trainer.sent.find((m): m is StartMessage => m.type === 'start')!;
  trainer.emit({ type: 'started', config: start.config, architecture, backend: 'libtensorflow 2.15.1', execution, startStep, history: { progress: [], evaluations: [] } });
  return start;
}

function writeCheckpoint(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, LATEST_CHECKPOINT_FILE), 'x');
}

const stoppedSummary = (steps: number): RunSummary => ({ outcome: 'stopped', config, stepsDone: steps, backend: 'x', wallSec: 1, trainSec: 1, imagesPerSec: 100, peakRssMb: 900 });

test('start launches a trainer, sends start on ready, and follows it to running with progress', () => {
  const h = harness();
  h.session.start(config);
  assert.equal(h.session.sessionState, 'starting');
  const start = bootTrainer(h.trainers[0]!);
  assert.equal(start.resume, false);
  assert.deepEqual(start.config, config);
  assert.ok(start.checkpointDir.startsWith(h.root));
  assert.equal(h.session.sessionState, 'running');
  h.trainers[0]!.emit({ type: 'progress', progress: progress(20) });
  const s = h.session.snapshot;
  assert.equal(s.step, 20);
  assert.equal(s.backend, 'libtensorflow 2.15.1');
  assert.equal(s.architecture?.figures.totalParams, 13_071_562);
  assert.equal(h.snapshots.at(-1)!.progress.length, 1);
  assert.deepEqual(h.records.value, { checkpointDir: start.checkpointDir, runId: h.session.currentRunId, config, step: 0, wallSec: 0 });
  assert.equal(start.checkpointDir, path.join(h.root, h.session.currentRunId!, 'checkpoints'));
});

test('the run records the engine the trainer reports it trains with, as the CLI does', () => {
  for (const execution of ['eager', 'graph'] as const) {
    const h = harness();
    h.session.start(config);
    bootTrainer(h.trainers[0]!, 0, execution);
    assert.equal(h.session.runs.get(h.session.currentRunId!)!.manifest.engine, execution);
  }
});

test('stop asks the trainer to stop; a stopped run can be resumed from the same step, even by a new session after a restart', () => {
  const h = harness();
  h.session.start(config);
  const start = bootTrainer(h.trainers[0]!);
  h.trainers[0]!.emit({ type: 'progress', progress: progress(40) });
  h.session.stop();
  assert.equal(h.session.sessionState, 'stopping');
  assert.deepEqual(h.trainers[0]!.sent.at(-1), { type: 'stop' });
  writeCheckpoint(start.checkpointDir);
  h.trainers[0]!.emit({ type: 'checkpointSaved', checkpoint: { step: 41, path: start.checkpointDir, bytes: 1 } });
  h.trainers[0]!.emit({ type: 'finished', summary: stoppedSummary(41) });
  h.trainers[0]!.exit({ code: 0, signal: null });
  assert.equal(h.session.sessionState, 'stopped');
  assert.equal(h.session.snapshot.canResume, true);
  assert.equal(h.records.value!.step, 41);
  assert.deepEqual(h.events, [{ type: 'stopped', end: { reachedStep: 41, totalSteps: 100, checkpointStep: 41 } }]);

  // VS Code restarts: a new session over the same stored record.
  const after = harness(h.records, h.root);
  assert.equal(after.session.sessionState, 'stopped');
  assert.equal(after.session.snapshot.step, 41);
  after.session.resume();
  const resumed = bootTrainer(after.trainers[0]!, 41);
  assert.equal(resumed.resume, true);
  assert.equal(resumed.checkpointDir, start.checkpointDir);
  assert.equal(after.session.snapshot.step, 41);
  assert.equal(after.session.sessionState, 'running');
});

test('a run that completed all its steps comes back after a restart as finished, not resumable', () => {
  const dir = tempDir('finished-run');
  writeCheckpoint(dir);
  const h = harness({ value: { checkpointDir: dir, config, step: config.steps } });
  assert.equal(h.session.sessionState, 'finished');
  assert.equal(h.session.snapshot.canResume, false);
  assert.equal(h.session.snapshot.modelLoaded, false);
});

test('a second Stop kills a trainer that does not stop; the run ends stopped or crashed, never stuck', () => {
  const h = harness();
  h.session.start(config);
  bootTrainer(h.trainers[0]!);
  assert.equal(h.session.snapshot.modelLoaded, true);
  h.session.stop();
  assert.equal(h.session.sessionState, 'stopping');
  h.session.stop();
  assert.equal(h.trainers[0]!.killed, true);
  assert.equal(h.session.isActive, false);
  assert.equal(h.session.snapshot.modelLoaded, false);
});

test('a fatal error while stopping is a crash even if the process exits with code 0', () => {
  const h = harness();
  h.session.start(config);
  bootTrainer(h.trainers[0]!);
  h.session.stop();
  h.trainers[0]!.emit({ type: 'error', message: 'evaluation failed', fatal: true });
  h.trainers[0]!.exit({ code: 0, signal: null });
  assert.equal(h.session.sessionState, 'crashed');
  assert.equal(h.session.snapshot.error, 'Failed before the first step: no checkpoint was written yet, so nothing can be resumed. Cause: evaluation failed');
});

test('a finished run whose idle trainer later dies stays finished', () => {
  const h = harness();
  h.session.start(config);
  bootTrainer(h.trainers[0]!);
  h.trainers[0]!.emit({ type: 'finished', summary: { ...stoppedSummary(100), outcome: 'finished' } });
  h.trainers[0]!.exit({ code: null, signal: 'SIGKILL' });
  assert.equal(h.session.sessionState, 'finished');
  assert.deepEqual(h.events.map((e) => e.type), ['finished']);
});

test('a trainer killed mid-run becomes a crash that says where Resume starts, cause second; the session survives', () => {
  const h = harness();
  h.session.start(config);
  const start = bootTrainer(h.trainers[0]!);
  h.trainers[0]!.emit({ type: 'progress', progress: progress(50) });
  writeCheckpoint(start.checkpointDir);
  h.trainers[0]!.emit({ type: 'checkpointSaved', checkpoint: { step: 50, path: start.checkpointDir, bytes: 1 } });
  h.trainers[0]!.emit({ type: 'progress', progress: progress(65) });
  h.trainers[0]!.exit({ code: null, signal: 'SIGKILL' });
  const s = h.session.snapshot;
  assert.equal(s.state, 'crashed');
  assert.equal(s.error, 'Crashed at step 65/100: last checkpoint at step 50; steps 51–65 will be redone. Cause: the trainer process was killed (SIGKILL) at step 65');
  assert.equal(s.canResume, true);
  assert.equal(h.session.resumeStep, 50);
  assert.deepEqual(h.events, [{ type: 'crashed', cause: 'the trainer process was killed (SIGKILL) at step 65', end: { reachedStep: 65, totalSteps: 100, checkpointStep: 50 } }]);
  h.session.resume();
  assert.equal(h.trainers.length, 2);
  assert.equal(h.session.sessionState, 'starting');
});

test('a native abort with no message is explained by the trainer\'s last stderr lines', () => {
  const h = harness();
  h.session.start(config);
  bootTrainer(h.trainers[0]!);
  h.trainers[0]!.writeStderr('F tensorflow/core/framework/tensor.cc:123] Check failed: size overflow');
  h.trainers[0]!.exit({ code: null, signal: 'SIGABRT' });
  assert.equal(h.session.snapshot.error, 'Failed before the first step: no checkpoint was written yet, so nothing can be resumed. ' +
    "Cause: the trainer process was killed (SIGABRT) at step 0 (trainer's last output: F tensorflow/core/framework/tensor.cc:123] Check failed: size overflow)");
});

test('the launcher is given the run\'s config, so a tensorflow-gpu trainer starts with the GPU build\'s environment', () => {
  const h = harness();
  const gpuConfig = resolveConfig('default', { backend: 'tensorflow-gpu' });
  h.session.start(gpuConfig);
  assert.deepEqual(h.launchedFor, [gpuConfig]);
});

test('a fatal trainer error is the crash reason; without a checkpoint there is no resume offer', () => {
  const h = harness();
  h.session.start(resolveConfig('default', { backend: 'tensorflow-gpu' }));
  h.trainers[0]!.emit({ type: 'ready', protocolVersion: TRAINER_PROTOCOL_VERSION });
  h.trainers[0]!.emit({ type: 'error', message: 'The "tensorflow-gpu" backend is not available', fatal: true });
  h.trainers[0]!.exit({ code: 1, signal: null });
  assert.equal(h.session.snapshot.state, 'crashed');
  assert.equal(h.session.snapshot.error, 'Failed before the first step: no checkpoint was written yet, so nothing can be resumed. Cause: The "tensorflow-gpu" backend is not available');
  assert.equal(h.session.snapshot.canResume, false);
  assert.throws(() => h.session.resume(), /has no checkpoint to resume from/);
});

test('non-fatal trainer errors are logged and change nothing', () => {
  const h = harness();
  h.session.start(config);
  bootTrainer(h.trainers[0]!);
  h.trainers[0]!.emit({ type: 'error', message: 'rejected a malformed message: unknown message type "x"', fatal: false });
  assert.equal(h.session.sessionState, 'running');
  assert.ok(h.logs.some((l) => l === 'warn rejected a malformed message: unknown message type "x"'));
});

test('a second start while training is refused; a launcher that throws is a crash, not an exception', () => {
  const h = harness();
  h.session.start(config);
  assert.throws(() => h.session.start(config), SessionBusyError);
  const broken = new TrainingSession(() => { throw new Error('spawn ENOENT'); }, { get: () => undefined, set: () => {} }, tempDir('broken'), { info() {}, warn() {}, error() {} });
  broken.start(config);
  assert.equal(broken.snapshot.state, 'crashed');
  assert.equal(broken.snapshot.error, 'Failed before the first step: no checkpoint was written yet, so nothing can be resumed. Cause: could not start the trainer process: spawn ENOENT');
});

test('inspecting or evaluating without a trainer explains why instead of throwing synchronously', async () => {
  const h = harness();
  await assert.rejects(h.session.describeBlock('res2a'), /Live weights need a running trainer/);
  await assert.rejects(h.session.evaluateTest(), /No model is loaded/);
});

test('a requested test evaluation is added to the snapshot once', async () => {
  const h = harness();
  h.session.start(config);
  bootTrainer(h.trainers[0]!);
  const evaluation = { step: 5, split: 'test' as const, accuracy: 0.97, loss: 0.1, examples: 10000, predictedClassCounts: [] };
  h.trainers[0]!.evaluation = evaluation;
  assert.deepEqual(await h.session.evaluateTest(), evaluation);
  h.trainers[0]!.emit({ type: 'evaluation', evaluation, requestId: 1 });
  assert.deepEqual(h.session.snapshot.evaluations, [evaluation]);
});

test('a stop before training began ends as stopped when the trainer exits cleanly', () => {
  const h = harness();
  h.session.start(config);
  h.session.stop();
  h.trainers[0]!.exit({ code: 0, signal: null });
  assert.equal(h.session.sessionState, 'stopped');
});

test('a starting new run retires a finished trainer kept for inspection and keeps the old run and its checkpoints', () => {
  const h = harness();
  h.session.start(config);
  const first = bootTrainer(h.trainers[0]!);
  writeCheckpoint(first.checkpointDir);
  h.trainers[0]!.emit({ type: 'finished', summary: { ...stoppedSummary(100), outcome: 'finished' } });
  assert.equal(h.session.sessionState, 'finished');
  h.session.start(config);
  assert.equal(h.trainers[0]!.killed, true);
  assert.equal(fs.existsSync(first.checkpointDir), true, 'a run never deletes another run');
  const runs = h.session.runs.list();
  assert.equal(runs.length, 2);
  assert.deepEqual(runs.map((r) => r.status).sort(), ['finished', 'running']);
  assert.equal(h.session.sessionState, 'starting');
  assert.equal(h.session.snapshot.progress.length, 0);
});

test('very long progress histories are thinned for the panel, keeping the first and latest points', () => {
  const h = harness();
  h.session.start(config);
  bootTrainer(h.trainers[0]!);
  for (let step = 1; step <= 5000; step++) h.trainers[0]!.emit({ type: 'progress', progress: progress(step) });
  const points = h.session.snapshot.progress;
  assert.ok(points.length <= MAX_PROGRESS_POINTS + 1);
  assert.equal(points[0]!.step, 1);
  assert.equal(points.at(-1)!.step, 5000);
});

test('shutdown stops gracefully and kills a trainer that does not exit within the grace period', async () => {
  const h = harness();
  h.session.start(config);
  bootTrainer(h.trainers[0]!);
  await h.session.shutdown(20);
  assert.deepEqual(h.trainers[0]!.sent.at(-1), { type: 'stop' });
  assert.equal(h.trainers[0]!.killed, true);
});

test('the phase follows the trainer between steps and clears when the run ends; "took" is the wall time of every session of the run', () => {
  const h = harness();
  h.clock.ms = 1_000;
  h.session.start(config);
  const start = bootTrainer(h.trainers[0]!);
  assert.deepEqual(h.session.snapshot.phase, { kind: 'training' });
  h.trainers[0]!.emit({ type: 'phase', phase: { kind: 'validating', done: 1000, total: 5000 } });
  assert.deepEqual(h.session.snapshot.phase, { kind: 'validating', done: 1000, total: 5000 });
  assert.equal(h.session.snapshot.wallSec, null, 'no "took" while running');
  h.session.stop();
  writeCheckpoint(start.checkpointDir);
  h.trainers[0]!.emit({ type: 'checkpointSaved', checkpoint: { step: 30, path: start.checkpointDir, bytes: 1 } });
  h.clock.ms = 41_000;
  h.trainers[0]!.emit({ type: 'finished', summary: stoppedSummary(30) });
  h.trainers[0]!.exit({ code: 0, signal: null });
  assert.equal(h.session.snapshot.phase, null);
  assert.equal(h.session.snapshot.wallSec, 40);
  assert.equal(h.records.value!.wallSec, 40);
  h.clock.ms = 100_000; // the run sat stopped for a minute: not counted
  h.session.resume();
  bootTrainer(h.trainers[1]!, 30);
  h.clock.ms = 112_500;
  h.trainers[1]!.exit({ code: null, signal: 'SIGKILL' });
  // The crash's wall time adds the resumed session to the first: never a fresh "took 1s".
  assert.equal(h.session.snapshot.wallSec, 52.5);
  assert.equal(h.records.value!.wallSec, 52.5);
  // And it survives a restart.
  assert.equal(harness(h.records, h.root).session.snapshot.wallSec, 52.5);
});

test('the step Resume would start from is known only when there is a run to resume', () => {
  const h = harness();
  assert.equal(h.session.resumeStep, null);
  h.session.start(config);
  const start = bootTrainer(h.trainers[0]!);
  writeCheckpoint(start.checkpointDir);
  h.trainers[0]!.emit({ type: 'checkpointSaved', checkpoint: { step: 20, path: start.checkpointDir, bytes: 1 } });
  assert.equal(h.session.resumeStep, null, 'not while it runs');
  h.trainers[0]!.emit({ type: 'progress', progress: progress(25) });
  h.trainers[0]!.exit({ code: null, signal: 'SIGKILL' });
  assert.equal(h.session.resumeStep, 20);
});

test('a stopping trainer that keeps reporting (a long validation, a checkpoint write) is not killed; one silent for the grace period is', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const h = harness();
  h.session.start(config);
  bootTrainer(h.trainers[0]!);
  h.session.stop();
  for (let done = 500; done <= 5000; done += 500) {
    t.mock.timers.tick(STOP_GRACE_MS - 1);
    h.trainers[0]!.emit({ type: 'phase', phase: { kind: 'validating', done, total: 5000 } });
  }
  t.mock.timers.tick(STOP_GRACE_MS - 1);
  h.trainers[0]!.emit({ type: 'phase', phase: { kind: 'checkpointing' } });
  assert.equal(h.trainers[0]!.killed, false, 'alive and talking: still stopping');
  assert.equal(h.session.sessionState, 'stopping');
  t.mock.timers.tick(STOP_GRACE_MS);
  assert.equal(h.trainers[0]!.killed, true, 'silent for the whole grace period: killed');
  assert.ok(h.logs.includes('warn the trainer has said nothing for 30 s since it was asked to stop: killing it'));
});

test('Open shows a stored run (its history, status and architecture) and Resume then continues that run in its own folder; a deleted shown run is forgotten', () => {
  const h = harness();
  h.session.start(config);
  const first = bootTrainer(h.trainers[0]!);
  h.trainers[0]!.emit({ type: 'progress', progress: progress(10) });
  h.session.stop();
  writeCheckpoint(first.checkpointDir);
  h.trainers[0]!.emit({ type: 'checkpointSaved', checkpoint: { step: 10, path: first.checkpointDir, bytes: 1 } });
  h.trainers[0]!.emit({ type: 'finished', summary: stoppedSummary(10) });
  h.trainers[0]!.exit({ code: 0, signal: null });
  const firstId = h.session.currentRunId!;
  h.session.start(resolveConfig('default', { steps: 100, learningRate: 3e-4 }));
  bootTrainer(h.trainers[1]!);
  h.trainers[1]!.emit({ type: 'finished', summary: { ...stoppedSummary(100), outcome: 'finished' } });

  h.session.open(firstId);
  const shown = h.session.snapshot;
  assert.equal(shown.state, 'stopped');
  assert.equal(shown.canResume, true);
  assert.deepEqual(shown.progress.map((p) => p.step), [10]);
  assert.equal(shown.config?.learningRate, config.learningRate);
  assert.equal(shown.architecture?.figures.totalParams, 13_071_562);
  h.session.resume();
  const resumed = bootTrainer(h.trainers[2]!, 10);
  assert.equal(resumed.resume, true);
  assert.equal(resumed.checkpointDir, first.checkpointDir);
  assert.equal(h.session.runs.get(firstId)!.status, 'running');
  assert.throws(() => h.session.open(h.session.runs.list().find((r) => r.id !== firstId)!.id), SessionBusyError);
  h.session.stop();
  h.trainers[2]!.emit({ type: 'finished', summary: stoppedSummary(12) });
  h.trainers[2]!.exit({ code: 0, signal: null });
  assert.equal(h.session.runs.get(firstId)!.status, 'stopped');
  assert.equal(h.session.runs.get(firstId)!.manifest.metrics.stepsDone, 12);

  h.session.runs.delete(firstId);
  h.session.forget(firstId);
  assert.equal(h.session.sessionState, 'idle');
  // No run is shown, so no run's network either: the panel draws the one Train would build.
  assert.equal(h.session.snapshot.architecture, null);
  assert.equal(h.records.value, undefined);
});

/** A run in `root` whose lock names a live process that is not this one (as a detached trainer's does), for `windowId`. */
function runTrainedElsewhere(root: string, windowId: string): { runId: string; runDir: string; pid: number } {
  const store = new RunStore(root);
  const writer = store.create(config, seedResNetArchitecture(), 'extension');
  const pid = process.ppid; // alive for as long as this test runs
  fs.writeFileSync(path.join(writer.dir, LOCK_FILE), JSON.stringify({ type: 'lock', pid, host: os.hostname(), since: new Date().toISOString(), tool: 'extension', window: windowId }));
  return { runId: writer.id, runDir: writer.dir, pid };
}

function detachedHarness(root: string, windowId: string, record: RunRecord | undefined) {
  const attached: { runDir: string; pid: number; trainer: FakeTrainer }[] = [];
  const records = { value: record };
  const session = new TrainingSession(
    () => { throw new Error('nothing is launched in this test'); },
    { get: () => records.value, set: (r) => { records.value = r!; } },
    root,
    { info: () => {}, warn: () => {}, error: () => {} },
    Date.now,
    { windowId, graceMs: 30_000, keepTraining: () => false, attach: (runDir, pid) => { const trainer = new FakeTrainer(); trainer.detached = true; attached.push({ runDir, pid, trainer }); return trainer; } },
  );
  return { session, attached, records };
}

test('a reloaded window reattaches to its run\'s live trainer and shows the real step and history; Stop acts on that trainer', () => {
  const root = tempDir('reattach');
  const { runId, runDir, pid } = runTrainedElsewhere(root, 'window-a');
  const record: RunRecord = { checkpointDir: path.join(runDir, 'checkpoints'), runId, config, step: 0 };
  const h = detachedHarness(root, 'window-a', record);
  assert.deepEqual(h.attached.map((a) => [a.runDir, a.pid]), [[runDir, pid]], 'it connects to the trainer in the run\'s lock');
  assert.equal(h.session.sessionState, 'running');
  assert.equal(h.session.isActive, true);
  const trainer = h.attached[0]!.trainer;
  trainer.emit({ type: 'ready', protocolVersion: TRAINER_PROTOCOL_VERSION });
  assert.equal(trainer.sent.length, 0, 'a reattaching window starts nothing');
  trainer.emit({ type: 'started', config, architecture, backend: 'libtensorflow 2.15.1', execution: 'graph', startStep: 46, history: { progress: [progress(10), progress(20), progress(46)], evaluations: [] } });
  trainer.emit({ type: 'progress', progress: progress(47) });
  const shown = h.session.snapshot;
  assert.equal(shown.step, 47);
  assert.deepEqual(shown.progress.map((p) => p.step), [10, 20, 46, 47]);
  assert.equal(shown.warning, null, 'its own run: no "another window" note');
  assert.equal(h.session.runs.get(runId)!.lockedElsewhere, false);
  h.session.stop();
  assert.deepEqual(trainer.sent, [{ type: 'stop' }]);
});

test('a second window watches another window\'s running run: shown as running in another window, never resumed there', () => {
  const root = tempDir('watch');
  const { runId, runDir } = runTrainedElsewhere(root, 'window-a');
  const h = detachedHarness(root, 'window-b', { checkpointDir: path.join(runDir, 'checkpoints'), runId, config, step: 0 });
  assert.equal(h.session.runs.get(runId)!.lockedElsewhere, true);
  assert.match(h.session.snapshot.warning ?? '', /running in another window: you are watching it live\. It cannot be resumed or deleted here/);
  h.attached[0]!.trainer.emit({ type: 'started', config, architecture, backend: 'x', execution: 'graph', startStep: 12, history: { progress: [progress(12)], evaluations: [] } });
  assert.equal(h.session.snapshot.step, 12);
  assert.throws(() => h.session.resume(runId), /cannot be resumed: it is being trained by another window \(pid \d+\)/);
  assert.throws(() => h.session.runs.delete(runId), /cannot be deleted: it is being trained by another window/);
  // Leaving it (a new run here, or this window closing) only disconnects: the other window's run trains on.
  void h.session.shutdown(0);
  assert.equal(h.attached[0]!.trainer.killed, false);
  assert.equal(h.attached[0]!.trainer.disconnected, true);
  assert.deepEqual(h.attached[0]!.trainer.sent, [], 'no stop either');
});

test('a run is launched detached with its start orders and nothing is sent on ready; a window reloaded before the trainer has started shows the run running, then its start', () => {
  const root = tempDir('detached-launch');
  const launched: { orders?: DetachedStart; trainer: FakeTrainer }[] = [];
  const records: { value?: RunRecord } = {};
  const session = new TrainingSession(
    (_config, orders) => { const trainer = new FakeTrainer(); trainer.detached = true; launched.push({ orders, trainer }); return trainer; },
    { get: () => records.value, set: (r) => { records.value = r; } },
    root,
    { info: () => {}, warn: () => {}, error: () => {} },
    Date.now,
    { windowId: 'window-a', graceMs: 30_000, keepTraining: () => true, attach: () => { throw new Error('nothing is attached in this window'); } },
  );
  session.start(config);
  const run = session.runs.list()[0]!;
  assert.deepEqual(launched.map((l) => l.orders), [{
    type: 'start', config, checkpointDir: run.checkpointDir, resume: false, architecture: seedResNetArchitecture(config.keepProb),
    detached: { runDir: run.dir, windowId: 'window-a', graceMs: 30_000, keepTraining: true },
  }]);
  assert.equal(session.sessionState, 'starting');
  launched[0]!.trainer.emit({ type: 'ready', protocolVersion: TRAINER_PROTOCOL_VERSION });
  assert.deepEqual(launched[0]!.trainer.sent, [], 'the trainer has its orders: the window sends no start');

  // The window reloads at once: the (real) launcher handed the lock to the trainer, which is still loading.
  fs.writeFileSync(path.join(run.dir, LOCK_FILE), JSON.stringify({ type: 'lock', pid: process.ppid, host: os.hostname(), since: new Date().toISOString(), tool: 'extension', window: 'window-a' }));
  const reloaded = detachedHarness(root, 'window-a', records.value!);
  assert.equal(reloaded.session.sessionState, 'running', 'not crashed');
  const trainer = reloaded.attached[0]!.trainer;
  trainer.emit({ type: 'ready', protocolVersion: TRAINER_PROTOCOL_VERSION });
  assert.equal(reloaded.session.sessionState, 'running');
  trainer.emit({ type: 'started', config, architecture, backend: 'libtensorflow 2.15.1', execution: 'graph', startStep: 0, history: { progress: [], evaluations: [] } });
  trainer.emit({ type: 'progress', progress: progress(1) });
  assert.deepEqual([reloaded.session.sessionState, reloaded.session.snapshot.step, trainer.sent.length], ['running', 1, 0]);

  // Reloaded so early that the window's record of its run was never saved: the lock naming this window finds it.
  const unrecorded = detachedHarness(root, 'window-a', undefined);
  assert.deepEqual([unrecorded.attached.map((a) => a.runDir), unrecorded.session.sessionState, unrecorded.records.value?.runId], [[run.dir], 'running', run.id]);
  assert.deepEqual(detachedHarness(root, 'window-b', undefined).attached, [], 'another window\'s run is not taken for its own');
});

test('a detached trainer that fails before this window heard why: the crash reason is the one it recorded in run.json', () => {
  const root = tempDir('detached-early-failure');
  const launched: FakeTrainer[] = [];
  const events: SessionEvent[] = [];
  const recorded: { value?: RunRecord } = {};
  const session = new TrainingSession(
    () => { const trainer = new FakeTrainer(); trainer.detached = true; launched.push(trainer); return trainer; },
    { get: () => recorded.value, set: (r) => { recorded.value = r; } },
    root,
    { info: () => {}, warn: () => {}, error: () => {} },
    Date.now,
    { windowId: 'window-a', graceMs: 30_000, keepTraining: () => false, attach: () => { throw new Error('nothing is attached in this window'); } },
  );
  session.onEvent((e) => events.push(e));
  session.start(config);
  const run = session.runs.list()[0]!;
  const reason = 'The "tensorflow-gpu" backend cannot run: no NVIDIA driver';
  writeManifest(run.dir, { ...run.manifest, status: 'crashed', error: reason });
  launched[0]!.writeStderr('a line of the log');
  launched[0]!.exit({ code: 1, signal: null });
  assert.equal(session.sessionState, 'crashed');
  assert.deepEqual(events.map((e) => e.type === 'crashed' && e.cause), [reason]);
});
