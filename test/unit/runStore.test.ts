// The run store on a real file system, with real second processes: concurrent writers, stale
// locks, a torn run.json, a runs root full of junk, retention that never touches a running or
// open run, a run copied from another machine, and histories with torn lines and redone steps.
import assert from 'node:assert/strict';
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { LOCK_FILE, RunLockedError } from '../../runStore/runLock';
import { RunStore, type RootProblem } from '../../runStore/runStore';
import { checkpointFolderOf, CHECKPOINTS_FOLDER, MANIFEST_FILE, runFolderOfCheckpoints } from '../../runStore/runWriter';
import { HISTORY_FILE } from '../../runStore/runHistoryFile';
import { seedResNetArchitecture } from '../../shared/architecture';
import { LATEST_CHECKPOINT_FILE } from '../../shared/checkpointFiles';
import { confusionFromPredictions, confusionTotal } from '../../shared/confusionMatrix';
import { resolveConfig } from '../../shared/trainingConfig';
import type { ActivationReport, EvaluationReport, ProgressReport, RunSummary } from '../../shared/trainingReports';
import { tempDir } from '../support/paths';

const config = resolveConfig('default', { steps: 100 });
const architecture = seedResNetArchitecture();
const progress = (step: number): ProgressReport => ({ step, totalSteps: 100, epoch: 0, loss: 2 / step, batchAccuracy: 0.5, imagesPerSec: 120, etaSec: 1, elapsedSec: step });
const evaluation = (step: number, accuracy: number, split: 'validation' | 'test' = 'validation'): EvaluationReport =>
  ({ step, split, accuracy, loss: 0.1, examples: 5000, predictedClassCounts: [500, 500, 500, 500, 500, 500, 500, 500, 500, 500] });
const activations = (step: number, fc1Dead: number): ActivationReport => ({
  step, probeExamples: 256,
  layers: [{ layerName: 'fc1/dense', blockId: 'fc1', mean: 0.1, std: 0.2, maxAbs: 1, zeroFraction: 0.5, deadFraction: fc1Dead }],
  logits: { std: 1, maxAbs: 3, meanMaxSoftmax: 0.9, saturatedFraction: 0, confidentlyWrongFraction: 0 },
});
const summary = (stepsDone: number, outcome: 'finished' | 'stopped'): RunSummary =>
  ({ outcome, config, stepsDone, backend: 'libtensorflow 2.15.1', wallSec: 5, trainSec: 4, imagesPerSec: 130, peakRssMb: 1400, test: evaluation(stepsDone, 0.97, 'test') });

function fakeCheckpoint(dir: string): void {
  fs.mkdirSync(path.join(dir, CHECKPOINTS_FOLDER), { recursive: true });
  fs.writeFileSync(path.join(dir, CHECKPOINTS_FOLDER, LATEST_CHECKPOINT_FILE), 'weights');
}

/** A child process that holds (or tries to take) run locks through the store, driven by messages. */
const HOLDER = `
const { RunStore } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'runStore', 'runStore.js'))});
process.on('message', (m) => {
  const store = new RunStore(m.root);
  try {
    if (m.op === 'create') {
      const ids = [];
      for (let i = 0; i < m.count; i++) ids.push(store.create(m.config, m.architecture, 'cli').id);
      process.send({ ok: true, ids });
    } else if (m.op === 'resume') { store.resume(m.id, 'cli'); process.send({ ok: true }); }
    else if (m.op === 'delete') { store.delete(m.id); process.send({ ok: true }); }
  } catch (error) { process.send({ ok: false, message: error.message, name: error.name }); }
});
process.send({ ready: true });`;

function holder(): { child: ChildProcess; ask: (m: object) => Promise<{ ok: boolean; message?: string; ids?: string[] }> } {
  const script = path.join(tempDir('holder'), 'holder.js');
  fs.writeFileSync(script, HOLDER);
  const child = fork(script, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ready = new Promise<void>((resolve) => child.once('message', () => resolve()));
  const ask = async (m: object) => {
    await ready;
    return new Promise<{ ok: boolean; message?: string; ids?: string[] }>((resolve) => { child.once('message', resolve as (v: unknown) => void); child.send(m); });
  };
  return { child, ask };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  const done = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(done.stdout.trim());
}

test('a run is created in its own folder, records its history and metrics, and ends with its lock released', () => {
  const store = new RunStore(tempDir('runs'));
  const writer = store.create(config, architecture, 'extension');
  assert.equal(path.dirname(writer.dir), store.root);
  assert.equal(writer.checkpointDir, path.join(writer.dir, 'checkpoints'));
  const listedWhileRunning = store.list();
  assert.equal(listedWhileRunning.length, 1);
  assert.equal(listedWhileRunning[0]!.status, 'running');
  assert.equal(listedWhileRunning[0]!.lockedElsewhere, false, 'this process holds it');

  writer.began(0, 'libtensorflow 2.15.1', 'graph');
  writer.progress(progress(20));
  writer.evaluation(evaluation(50, 0.96));
  writer.activations(activations(50, 0.25));
  // The confusion matrix is kept with its evaluation: what the step slider shows after a reload.
  const labels = Array.from({ length: 5000 }, (_, i) => i % 10);
  const confusion = confusionFromPredictions(labels, labels.map((digit, i) => (i % 20 === 0 ? (digit + 1) % 10 : digit)));
  writer.evaluation({ ...evaluation(100, 0.95), confusion });
  writer.ended('finished', { summary: summary(100, 'finished') });

  const [run] = store.list();
  assert.equal(run!.status, 'finished');
  assert.equal(run!.lock.kind, 'free');
  assert.deepEqual(run!.manifest.config, config);
  assert.deepEqual(run!.manifest.architecture, architecture);
  assert.equal(run!.manifest.engine, 'graph');
  assert.equal(run!.manifest.backend, 'libtensorflow 2.15.1');
  assert.deepEqual(
    { ...run!.manifest.metrics, wallSec: null },
    { stepsDone: 100, bestValidationAccuracy: 0.96, finalValidationAccuracy: 0.95, testAccuracy: 0.97, imagesPerSec: 130, wallSec: null, peakRssMb: 1400, fc1DeadFraction: 0.25 },
  );
  assert.ok(run!.manifest.endedAt !== null);
  const history = store.history(run!.id);
  assert.deepEqual(history.progress.map((p) => p.step), [20]);
  assert.deepEqual(history.evaluations.map((e) => e.accuracy), [0.96, 0.95]);
  assert.deepEqual(history.evaluations.map((e) => e.confusion), [undefined, confusion]);
  assert.equal(confusionTotal(history.evaluations[1]!.confusion!.matrix), 5000);
  assert.equal(history.latestActivations?.step, 50);
  assert.equal(history.skippedLines, 0);
  // run.json was rewritten atomically: no temporary files are left beside it.
  assert.deepEqual(fs.readdirSync(run!.dir).sort(), [HISTORY_FILE, MANIFEST_FILE]);
});

test('a run folder and its checkpoint folder name each other; a bare checkpoint folder names no run', () => {
  const store = new RunStore(tempDir('runs'));
  const writer = store.create(config, architecture, 'cli');
  // No checkpoint yet: the run folder names itself (the export then says there is no checkpoint in it).
  assert.equal(checkpointFolderOf(writer.dir), writer.dir);
  fakeCheckpoint(writer.dir);
  assert.equal(checkpointFolderOf(writer.dir), writer.checkpointDir);
  assert.equal(checkpointFolderOf(writer.checkpointDir), writer.checkpointDir);
  assert.equal(runFolderOfCheckpoints(writer.checkpointDir), writer.dir);
  assert.equal(runFolderOfCheckpoints(path.relative(process.cwd(), writer.checkpointDir)), writer.dir, 'a relative path resolves to the same run');
  writer.ended('stopped', { summary: summary(0, 'stopped') });
  // A folder called checkpoints with no run.json beside it is a bare checkpoint folder.
  const bare = path.join(tempDir('bare'), CHECKPOINTS_FOLDER);
  fs.mkdirSync(bare);
  assert.equal(runFolderOfCheckpoints(bare), null);
  assert.equal(checkpointFolderOf(bare), bare);
  assert.equal(runFolderOfCheckpoints(path.join(writer.dir, 'elsewhere')), null);
});

test('concurrent writers: two processes creating runs in one root get distinct folders, and a run one holds cannot be resumed or deleted by the other', async () => {
  const root = tempDir('concurrent');
  const a = holder();
  const b = holder();
  try {
    const [fromA, fromB] = await Promise.all([
      a.ask({ op: 'create', root, count: 8, config, architecture }),
      b.ask({ op: 'create', root, count: 8, config, architecture }),
    ]);
    assert.ok(fromA.ok && fromB.ok);
    const ids = [...fromA.ids!, ...fromB.ids!];
    assert.equal(new Set(ids).size, 16);
    const store = new RunStore(root);
    const runs = store.list();
    assert.equal(runs.length, 16);
    assert.ok(runs.every((run) => run.status === 'running' && run.lockedElsewhere), 'each held by its live writer');

    // b tries to take over a run a is writing: refused, naming the holder.
    const taken = await b.ask({ op: 'resume', root, id: fromA.ids![0] });
    assert.equal(taken.ok, false);
    assert.match(taken.message!, new RegExp(`Run ${fromA.ids![0]} cannot be resumed: it is being trained by a terminal run \\(pid ${a.child.pid}\\)`));
    const deleted = await b.ask({ op: 'delete', root, id: fromA.ids![1] });
    assert.equal(deleted.ok, false);
    assert.ok(fs.existsSync(path.join(root, fromA.ids![1]!, MANIFEST_FILE)), 'the run is still there');
    // And this process cannot either.
    assert.throws(() => store.delete(fromB.ids![0]!), RunLockedError);
    assert.throws(() => store.rename(fromB.ids![0]!, 'mine now'), RunLockedError);
    assert.equal(store.get(fromB.ids![0]!)!.manifest.name, null);
  } finally {
    await stop(a.child);
    await stop(b.child);
  }
});

test('a stale lock (its process gone, same host) shows the run as crashed and is taken over on resume', () => {
  const store = new RunStore(tempDir('stale'));
  const writer = store.create(config, architecture, 'extension');
  writer.began(0, 'x', null);
  writer.progress(progress(20));
  fakeCheckpoint(writer.dir);
  // The writer's process "dies": its lock now names a pid that has exited.
  const lockFile = path.join(writer.dir, LOCK_FILE);
  const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
  fs.writeFileSync(lockFile, JSON.stringify({ ...lock, pid: deadPid() }));
  const run = store.get(writer.id)!;
  assert.equal(run.manifest.status, 'running');
  assert.equal(run.status, 'crashed');
  assert.equal(run.lock.kind, 'stale');
  assert.equal(run.lockedElsewhere, false);

  const resumed = store.resume(writer.id, 'extension');
  assert.equal(JSON.parse(fs.readFileSync(lockFile, 'utf8')).pid, process.pid);
  resumed.began(20, 'x', null);
  assert.equal(store.get(writer.id)!.status, 'running');
  resumed.ended('stopped', { stepsDone: 30 });
  assert.equal(fs.existsSync(lockFile), false);

  // A lock file that is not a lock (torn, foreign) is stale too.
  fs.writeFileSync(lockFile, '{"type":"lo');
  assert.equal(store.get(writer.id)!.lock.kind, 'stale');
  store.resume(writer.id, 'extension').ended('stopped');
});

test('a torn run.json and a runs root full of junk are reported once each and never hide the good runs', () => {
  const root = tempDir('junk');
  const problems: RootProblem[] = [];
  const store = new RunStore(root, (p) => problems.push(p));
  const good = store.create(config, architecture, 'cli');
  good.ended('stopped');
  const torn = store.create(config, architecture, 'cli');
  torn.ended('stopped');
  const tornText = fs.readFileSync(path.join(torn.dir, MANIFEST_FILE), 'utf8');
  fs.writeFileSync(path.join(torn.dir, MANIFEST_FILE), tornText.slice(0, tornText.length / 2));
  fs.writeFileSync(path.join(root, 'notes.txt'), 'not a run');
  fs.mkdirSync(path.join(root, 'empty-folder'));
  fs.mkdirSync(path.join(root, 'foreign'));
  fs.writeFileSync(path.join(root, 'foreign', MANIFEST_FILE), JSON.stringify({ name: 'something else', version: 7 }));
  fs.mkdirSync(path.join(root, 'renamed-copy'));
  fs.copyFileSync(path.join(good.dir, MANIFEST_FILE), path.join(root, 'renamed-copy', MANIFEST_FILE));
  fs.mkdirSync(path.join(root, 'evil'));
  fs.writeFileSync(path.join(root, 'evil', MANIFEST_FILE), JSON.stringify({ ...good.current, __proto__: { polluted: true }, extra: 1 }));
  fs.mkdirSync(path.join(root, '.hidden'));

  const first = store.list();
  assert.deepEqual(first.map((r) => r.id), [good.id]);
  const byEntry = Object.fromEntries(problems.map((p) => [p.entry, p.problem]));
  assert.deepEqual(Object.keys(byEntry).sort(), [torn.id, 'empty-folder', 'evil', 'foreign', 'notes.txt', 'renamed-copy'].sort());
  assert.match(byEntry[torn.id]!, /run\.json is not JSON \(torn or foreign\)/);
  assert.match(byEntry['notes.txt']!, /not a run folder/);
  assert.match(byEntry['empty-folder']!, /no readable run\.json/);
  assert.match(byEntry.foreign!, /run\.json/);
  assert.match(byEntry['renamed-copy']!, /names run .*, not its folder/);
  assert.match(byEntry.evil!, /unknown field "extra"/);
  // Listing again reports nothing new.
  store.list();
  assert.equal(problems.length, 6);
  assert.equal(store.get('../etc'), undefined);
  assert.throws(() => store.delete('../../x'), /is not a run id/);
});

test('retention keeps the newest N runs\' checkpoints and never touches a running or open run; histories stay', async () => {
  const root = tempDir('retention');
  const store = new RunStore(root);
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    const writer = store.create(config, architecture, 'extension', new Date(Date.UTC(2026, 11, 1, 0, i)));
    writer.progress(progress(10));
    fakeCheckpoint(writer.dir);
    writer.ended('stopped');
    ids.push(writer.id);
  }
  // The oldest run is being trained by another process; the second oldest is open in a panel.
  const other = holder();
  try {
    fs.rmSync(path.join(root, ids[0]!, CHECKPOINTS_FOLDER), { recursive: true });
    const resumed = await other.ask({ op: 'resume', root, id: ids[0] });
    assert.equal(resumed.ok, false, 'no checkpoint: cannot resume');
    fakeCheckpoint(path.join(root, ids[0]!));
    assert.equal((await other.ask({ op: 'resume', root, id: ids[0] })).ok, true);
    const removed = store.applyRetention(2, new Set([ids[1]!]));
    assert.deepEqual(removed.sort(), [ids[2]!, ids[3]!].sort());
    const has = (id: string) => store.get(id)!.hasCheckpoint;
    assert.deepEqual(ids.map(has), [true, true, false, false, true, true]);
    for (const id of ids) assert.deepEqual(store.history(id).progress.map((p) => p.step), [10], 'history kept');
    assert.throws(() => store.resume(ids[2]!, 'extension'), /retention removed it/);
  } finally {
    await stop(other.child);
  }
});

test('a run copied from another machine is listed with its metrics and history; a lock copied with it counts as held', () => {
  const remote = new RunStore(tempDir('remote'));
  const writer = remote.create(config, architecture, 'cli');
  writer.began(0, 'libtensorflow 2.15.1', 'graph');
  writer.progress(progress(20));
  writer.evaluation(evaluation(20, 0.9));
  writer.ended('finished', { summary: summary(100, 'finished') });
  const manifest = JSON.parse(fs.readFileSync(path.join(writer.dir, MANIFEST_FILE), 'utf8'));
  fs.writeFileSync(path.join(writer.dir, MANIFEST_FILE), JSON.stringify({ ...manifest, origin: { tool: 'cli', host: 'gpu-box-7' } }));

  const local = new RunStore(tempDir('local'));
  fs.cpSync(writer.dir, path.join(local.root, writer.id), { recursive: true });
  const [copied] = local.list();
  assert.equal(copied!.id, writer.id);
  assert.equal(copied!.status, 'finished');
  assert.equal(copied!.manifest.origin.host, 'gpu-box-7');
  assert.equal(copied!.manifest.metrics.testAccuracy, 0.97);
  assert.deepEqual(local.history(writer.id).evaluations.map((e) => e.accuracy), [0.9]);

  // Copied while it trained: the lock names the other host, which this one cannot check.
  fs.writeFileSync(path.join(copied!.dir, LOCK_FILE), JSON.stringify({ type: 'lock', pid: 4242, host: 'gpu-box-7', since: '2026-12-02T05:00:00.000Z', tool: 'cli' }));
  const locked = local.get(writer.id)!;
  assert.equal(locked.lockedElsewhere, true);
  assert.throws(() => local.delete(writer.id), /being trained by cli on gpu-box-7 \(pid 4242\)/);
});

test('a run.json written before the learning-rate levers existed is read with the values those fields had then', () => {
  const store = new RunStore(tempDir('old-run'));
  const writer = store.create(resolveConfig('seed', { steps: 100 }), architecture, 'cli');
  writer.began(0, 'libtensorflow 2.15.1', 'graph');
  writer.ended('finished', { summary: summary(100, 'finished') });
  const manifest = JSON.parse(fs.readFileSync(path.join(writer.dir, MANIFEST_FILE), 'utf8'));
  // The config as the first run store wrote it: no schedule, Adam ε, dense init scale or label smoothing.
  const { lrSchedule: _s, warmupSteps: _w, lrFloor: _f, denseLrScale: _d, adamEpsilon: _e, denseInitScale: _i, labelSmoothing: _l, ...oldConfig } = manifest.config;
  fs.writeFileSync(path.join(writer.dir, MANIFEST_FILE), JSON.stringify({ ...manifest, config: { ...oldConfig, learningRate: 3e-4 } }));

  const problems: RootProblem[] = [];
  const reread = new RunStore(store.root, (p) => problems.push(p));
  const [old] = reread.list();
  assert.deepEqual(problems, [], 'not refused');
  assert.equal(old!.id, writer.id);
  assert.deepEqual(old!.manifest.config, { ...resolveConfig('seed', { steps: 100 }), learningRate: 3e-4, lrSchedule: 'constant', warmupSteps: 0, lrFloor: 0, denseLrScale: 1, adamEpsilon: 1e-8, denseInitScale: 1, labelSmoothing: 0 });
  // A field it has wins over the default; a bad value in it is still refused.
  fs.writeFileSync(path.join(writer.dir, MANIFEST_FILE), JSON.stringify({ ...manifest, config: { ...oldConfig, adamEpsilon: 1e-6 } }));
  assert.equal(new RunStore(store.root).get(writer.id)!.manifest.config.adamEpsilon, 1e-6);
  fs.writeFileSync(path.join(writer.dir, MANIFEST_FILE), JSON.stringify({ ...manifest, config: { ...oldConfig, warmupSteps: -1 } }));
  const refused: RootProblem[] = [];
  assert.deepEqual(new RunStore(store.root, (p) => refused.push(p)).list(), []);
  assert.match(refused[0]!.problem, /warmupSteps must be at least 0/);
});

test('history: a torn last line is skipped and reported (the next session starts on a new line); a resume drops the steps redone after it', () => {
  const problems: RootProblem[] = [];
  const store = new RunStore(tempDir('history'), (p) => problems.push(p));
  const writer = store.create(config, architecture, 'extension');
  writer.began(0, 'x', null);
  for (const step of [10, 20, 30, 40]) writer.progress(progress(step));
  writer.evaluation(evaluation(30, 0.8));
  writer.activations(activations(40, 0.1));
  fakeCheckpoint(writer.dir);
  fs.appendFileSync(path.join(writer.dir, HISTORY_FILE), '{"kind":"progress","progress":{"step":4');
  writer.ended('crashed', { error: 'killed' });

  const resumed = store.resume(writer.id, 'extension');
  resumed.began(20, 'x', null);
  resumed.progress(progress(30));
  const history = store.history(writer.id);
  assert.deepEqual(history.progress.map((p) => p.step), [10, 20, 30]);
  assert.deepEqual(history.evaluations, []);
  assert.equal(history.latestActivations, null);
  assert.equal(history.skippedLines, 1);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!.problem, /1 line\(s\) are not history entries/);
  store.history(writer.id);
  assert.equal(problems.length, 1, 'reported once');
});
