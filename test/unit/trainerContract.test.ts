// Forks the built trainer bundle and drives it over IPC exactly as the extension host does.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { seedResNetArchitecture } from '../../shared/architecture';
import type { GalleryQuery } from '../../shared/errorGallery';
import { TRAINER_PROTOCOL_VERSION } from '../../shared/trainerProtocol';
import { resolveConfig } from '../../shared/trainingConfig';
import { CheckpointStore } from '../../trainer/checkpoint/checkpointStore';
import { loadLibraryError } from '../../trainer/backend/gpuFacts';
import { cacheRoot, gpuBuildLayout, trainerEnvFor } from '../../shared/gpuTensorflowBuild';
import { projectRoot, tempDir } from '../support/paths';
import { TrainerUnderTest } from '../support/trainerUnderTest';

const shortConfig = (steps: number) => resolveConfig('default', { steps, batchSize: 4, logEvery: 1, evalEvery: 0, checkpointEvery: 0 });

test('a run driven over IPC: ready, malformed input rejected, progress, inspect, pause, stop, resume, finish', async () => {
  const dir = tempDir('contract');
  const trainer = new TrainerUnderTest();
  assert.deepEqual(await trainer.waitFor('ready'), { type: 'ready', protocolVersion: TRAINER_PROTOCOL_VERSION });

  // Malformed messages get an error event and change nothing.
  trainer.send({ type: 'explode' });
  trainer.send({ type: 'start', config: { ...shortConfig(4), steps: -1 }, checkpointDir: dir, resume: false, architecture: null, detached: null });
  const rejected = await trainer.waitFor('error', (m) => m.message.includes('steps must be at least 1'));
  assert.equal(rejected.fatal, false);
  assert.ok(trainer.received.some((m) => m.type === 'error' && m.message.includes('unknown message type "explode"')));
  assert.ok(!trainer.received.some((m) => m.type === 'started'));

  trainer.send({ type: 'start', config: shortConfig(40), checkpointDir: dir, resume: false, architecture: null, detached: null });
  const started = await trainer.waitFor('started');
  assert.equal(started.startStep, 0);
  // The run's own network: the seed's layers with the run's keep probability (the default preset's is 1, not the seed's 0.5).
  assert.deepEqual(started.architecture.spec.blocks.map((b) => b.id), ['input', 'stem', 'pool1', 'res2a', 'res2b', 'res2c', 'pool2', 'flatten', 'fc1', 'dropout', 'fc2']);
  assert.equal(started.architecture.figures.totalParams, 13_071_562);
  assert.equal(shortConfig(40).keepProb, 1);
  assert.deepEqual(started.architecture.spec, seedResNetArchitecture(1));
  assert.match(started.backend, /^libtensorflow/);
  // The native backend trains one graph per step; the run store records what this says.
  assert.equal(started.execution, 'graph');
  await trainer.waitFor('progress', (m) => m.progress.step >= 2);

  trainer.send({ type: 'describeBlock', requestId: 7, blockId: 'res2a' });
  const details = await trainer.waitFor('blockDetails', (m) => m.requestId === 7);
  assert.deepEqual(details.details.weights.map((w) => w.name), [
    'res2a/conv1/kernel', 'res2a/conv1/bias', 'res2a/conv2/kernel', 'res2a/conv2/bias', 'res2a/conv3/kernel', 'res2a/conv3/bias', 'res2a/shortcut/kernel', 'res2a/add/bias',
  ]);
  const shortcut = details.details.weights.find((w) => w.name === 'res2a/shortcut/kernel')!;
  assert.deepEqual(shortcut.shape, [1, 1, 64, 256]);
  assert.equal(shortcut.nanCount, 0);
  assert.ok(shortcut.std > 0 && shortcut.min < 0 && shortcut.max > 0);
  assert.ok(details.details.activations.some((a) => a.layerName === 'res2a/add'));

  trainer.send({ type: 'describeBlock', requestId: 8, blockId: 'nope' });
  const unknownBlock = await trainer.waitFor('error', (m) => m.requestId === 8);
  assert.match(unknownBlock.message, /There is no block "nope"/);

  trainer.send({ type: 'pause' });
  await trainer.waitFor('runState', (m) => m.state === 'paused');
  trainer.send({ type: 'continue' });
  await trainer.waitFor('runState', (m) => m.state === 'running');

  trainer.send({ type: 'stop' });
  const stopped = await trainer.waitFor('finished');
  assert.equal(stopped.summary.outcome, 'stopped');
  const stoppedAt = stopped.summary.stepsDone;
  assert.ok(stoppedAt >= 2 && stoppedAt < 40);
  const saved = await trainer.waitFor('checkpointSaved');
  assert.equal(saved.checkpoint.step, stoppedAt);
  assert.equal(await trainer.exited, 0);

  // A new trainer resumes from the same step and runs to the end with a test evaluation.
  const resumed = new TrainerUnderTest();
  await resumed.waitFor('ready');
  resumed.send({ type: 'start', config: shortConfig(stoppedAt + 2), checkpointDir: dir, resume: true, architecture: null, detached: null });
  const restarted = await resumed.waitFor('started');
  assert.equal(restarted.startStep, stoppedAt);
  assert.equal(restarted.history.progress.at(-1)!.step, stoppedAt);
  const finished = await resumed.waitFor('finished');
  assert.equal(finished.summary.outcome, 'finished');
  assert.equal(finished.summary.stepsDone, stoppedAt + 2);
  assert.ok(finished.summary.test!.accuracy >= 0 && finished.summary.test!.examples === 10_000);
  // Before 'finished', the end of the run was announced phase by phase, each evaluation batch by batch.
  const counts = (total: number) => Array.from({ length: total / 500 + 1 }, (_, i) => i * 500);
  const phases = resumed.received.flatMap((m) => (m.type !== 'phase' ? [] : [m.phase.kind === 'validating' || m.phase.kind === 'testing' ? `${m.phase.kind} ${m.phase.done}/${m.phase.total}` : m.phase.kind]));
  assert.deepEqual(phases, [...counts(5000).map((n) => `validating ${n}/5000`), ...counts(10_000).map((n) => `testing ${n}/10000`), 'checkpointing']);
  const types = resumed.received.map((m) => m.type);
  assert.ok(types.lastIndexOf('phase') < types.indexOf('finished'));

  // After finishing, the trainer stays to answer requests until the host disconnects it.
  resumed.send({ type: 'evaluate', requestId: 3, split: 'validation' });
  const evaluation = await resumed.waitFor('evaluation', (m) => m.requestId === 3);
  assert.equal(evaluation.evaluation.examples, 5000);
  resumed.child.disconnect();
  assert.equal(await resumed.exited, 0);
  assert.equal(new CheckpointStore(dir).load()!.header.step, stoppedAt + 2);
});

test('the trainer stops, saves and exits cleanly when its parent disconnects mid-run', async () => {
  const dir = tempDir('disconnect');
  const trainer = new TrainerUnderTest();
  await trainer.waitFor('ready');
  trainer.send({ type: 'start', config: shortConfig(500), checkpointDir: dir, resume: false, architecture: null, detached: null });
  await trainer.waitFor('progress', (m) => m.progress.step >= 2);
  trainer.child.disconnect();
  assert.equal(await trainer.exited, 0);
  const checkpoint = new CheckpointStore(dir).load();
  assert.ok(checkpoint && checkpoint.header.step >= 2);
});

test('Stop during the only step still ends with a summary, a checkpoint and a clean exit', async () => {
  const dir = tempDir('stop-last-step');
  const trainer = new TrainerUnderTest();
  await trainer.waitFor('ready');
  trainer.send({ type: 'start', config: resolveConfig('default', { steps: 1, batchSize: 4, evalEvery: 0, checkpointEvery: 0 }), checkpointDir: dir, resume: false, architecture: null, detached: null });
  await trainer.waitFor('started');
  trainer.send({ type: 'stop' });
  const finished = await trainer.waitFor('finished');
  assert.ok(['finished', 'stopped'].includes(finished.summary.outcome));
  assert.ok(!trainer.received.some((m) => m.type === 'error'), 'no error on the way out');
  assert.equal(await trainer.exited, 0);
  assert.equal(new CheckpointStore(dir).load()!.header.step, finished.summary.stepsDone);
});

// Needs the GPU build provisioned (`npm run setup -- --gpu`; CI does, and fails here without it).
const gpuBuildMissing = !fs.existsSync(`${gpuBuildLayout(cacheRoot(process.env, os.homedir())).root}/.complete`) && process.env.CI !== 'true';

test('a backend that cannot run ends the run with one fatal error naming it and why', {
  skip: loadLibraryError('libcuda.so.1') === null ? 'this machine has an NVIDIA driver'
    : gpuBuildMissing ? 'the GPU build is not provisioned: run `npm run setup -- --gpu`' : false,
}, async () => {
  // Started as the extension starts a tensorflow-gpu trainer, on a machine without an NVIDIA driver (this one, CI).
  const trainer = new TrainerUnderTest(trainerEnvFor('tensorflow-gpu', process.env, os.homedir(), path.join(projectRoot, 'node_modules')));
  await trainer.waitFor('ready');
  trainer.send({ type: 'start', config: resolveConfig('default', { backend: 'tensorflow-gpu' }), checkpointDir: tempDir('gpu'), resume: false, architecture: null, detached: null });
  const error = await trainer.waitFor('error');
  assert.equal(error.fatal, true);
  assert.match(error.message, /^The "tensorflow-gpu" backend cannot run: no NVIDIA driver: libcuda\.so\.1 could not be loaded \(libcuda\.so\.1: cannot open shared object file/);
  assert.ok(!trainer.received.some((m) => m.type === 'started'), 'it never started training');
  assert.equal(await trainer.exited, 1);
});

test('gallery requests over IPC: malformed and oversized ones are refused without harm, a good one returns the evaluation\'s images', async (t) => {
  const trainer = new TrainerUnderTest();
  await trainer.waitFor('ready');
  // Real MNIST, one validation evaluation at step 4, then the run goes on while we ask.
  trainer.send({ type: 'start', config: resolveConfig('default', { steps: 400, batchSize: 8, logEvery: 1, evalEvery: 4, checkpointEvery: 0 }), checkpointDir: tempDir('gallery'), resume: false, architecture: null, detached: null });
  const evaluation = (await trainer.waitFor('evaluation', (m) => m.evaluation.step === 4)).evaluation;
  assert.equal(evaluation.examples, 5000);
  const matrix = evaluation.confusion!.matrix;

  const query: GalleryQuery = { split: 'validation', step: 4, selection: { kind: 'cell', trueDigit: 4, predictedDigit: 9 }, limit: 48 };
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ type: 'gallery', requestId: 20, query: { ...query, limit: 100_000 } }, /gallery\.query\.limit must be a whole number from 1 to 48/],
    [{ type: 'gallery', requestId: 21, query: { ...query, selection: { kind: 'cell', trueDigit: -1, predictedDigit: 9 } } }, /gallery\.query\.selection\.trueDigit must be a whole number from 0 to 9/],
    [{ type: 'gallery', requestId: 22, query: 'everything' }, /gallery\.query must be an object/],
    [{ type: 'gallery', query }, /gallery\.requestId is missing/],
    [{ type: 'gallery', requestId: 23, query, padding: 'x'.repeat(1_000_000) }, /gallery has an unknown field "padding"/],
  ];
  for (const [message] of bad) trainer.send(message);
  // An evaluation this trainer never made is refused with a reason, tied to its request.
  trainer.send({ type: 'gallery', requestId: 24, query: { ...query, step: 3 } });
  const missing = await trainer.waitFor('error', (m) => m.requestId === 24);
  assert.equal(missing.fatal, false);
  assert.equal(missing.message, 'The images of step 3\'s validation evaluation are not kept for this run: it has no run folder (a bare checkpoint folder), and this trainer did not make that evaluation.');
  const errors = trainer.received.flatMap((m) => (m.type === 'error' ? [m] : []));
  for (const [, reason] of bad) assert.ok(errors.some((e) => !e.fatal && reason.test(e.message) && e.message.startsWith('dropped a malformed message from the host: gallery')), String(reason));

  // The run is still going, and a good request gets the cell's images.
  const progressBefore = trainer.received.filter((m) => m.type === 'progress').length;
  const worst = matrix.flatMap((row, t) => row.map((count, p) => ({ t, p, count }))).filter((c) => c.t !== c.p).sort((a, b) => b.count - a.count)[0]!;
  trainer.send({ type: 'gallery', requestId: 25, query: { ...query, selection: { kind: 'cell', trueDigit: worst.t, predictedDigit: worst.p } } });
  const reply = await trainer.waitFor('gallery', (m) => m.requestId === 25);
  assert.equal(reply.gallery.matches, worst.count);
  assert.equal(reply.gallery.indices.length, Math.min(48, worst.count));
  assert.ok(reply.gallery.labels.every((label) => label === worst.t));
  trainer.send({ type: 'gallery', requestId: 26, query: { ...query, selection: { kind: 'confidentlyWrong' }, limit: 12 } });
  const strip = await trainer.waitFor('gallery', (m) => m.requestId === 26);
  assert.equal(strip.gallery.matches, 5000 - Math.round(evaluation.accuracy * 5000));
  await trainer.waitFor('progress', (m) => m.progress.step >= 4 && trainer.received.filter((x) => x.type === 'progress').length > progressBefore);
  // What a reply weighs on the wire (JSON of the whole IPC message), for the README.
  for (const [what, message] of [[`cell true ${worst.t} → predicted ${worst.p}, ${reply.gallery.indices.length} images`, reply], ['confidently wrong, 12 images', strip]] as const) {
    t.diagnostic(`gallery reply, ${what}: ${JSON.stringify(message).length} bytes`);
  }

  trainer.child.disconnect();
  assert.equal(await trainer.exited, 0);
});
