// Forks the built trainer bundle and drives it over IPC exactly as the extension host does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveConfig } from '../../shared/trainingConfig';
import { CheckpointStore } from '../../trainer/checkpoint/checkpointStore';
import { tempDir } from '../support/paths';
import { TrainerUnderTest } from '../support/trainerUnderTest';

const shortConfig = (steps: number) => resolveConfig('default', { steps, batchSize: 4, logEvery: 1, evalEvery: 0, checkpointEvery: 0 });

test('a run driven over IPC: ready, malformed input rejected, progress, inspect, pause, stop, resume, finish', async () => {
  const dir = tempDir('contract');
  const trainer = new TrainerUnderTest();
  const ready = await trainer.waitFor('ready');
  assert.deepEqual(ready.architecture.spec.blocks.map((b) => b.id), ['input', 'stem', 'pool1', 'res2a', 'res2b', 'res2c', 'pool2', 'flatten', 'fc1', 'dropout', 'fc2']);
  assert.equal(ready.architecture.figures.totalParams, 13_071_562);

  // Malformed messages get an error event and change nothing.
  trainer.send({ type: 'explode' });
  trainer.send({ type: 'start', config: { ...shortConfig(4), steps: -1 }, checkpointDir: dir, resume: false });
  const rejected = await trainer.waitFor('error', (m) => m.message.includes('steps must be at least 1'));
  assert.equal(rejected.fatal, false);
  assert.ok(trainer.received.some((m) => m.type === 'error' && m.message.includes('unknown message type "explode"')));
  assert.ok(!trainer.received.some((m) => m.type === 'started'));

  trainer.send({ type: 'start', config: shortConfig(40), checkpointDir: dir, resume: false });
  const started = await trainer.waitFor('started');
  assert.equal(started.startStep, 0);
  assert.match(started.backend, /^libtensorflow/);
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
  resumed.send({ type: 'start', config: shortConfig(stoppedAt + 2), checkpointDir: dir, resume: true });
  const restarted = await resumed.waitFor('started');
  assert.equal(restarted.startStep, stoppedAt);
  assert.equal(restarted.history.progress.at(-1)!.step, stoppedAt);
  const finished = await resumed.waitFor('finished');
  assert.equal(finished.summary.outcome, 'finished');
  assert.equal(finished.summary.stepsDone, stoppedAt + 2);
  assert.ok(finished.summary.test!.accuracy >= 0 && finished.summary.test!.examples === 10_000);

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
  trainer.send({ type: 'start', config: shortConfig(500), checkpointDir: dir, resume: false });
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
  trainer.send({ type: 'start', config: resolveConfig('default', { steps: 1, batchSize: 4, evalEvery: 0, checkpointEvery: 0 }), checkpointDir: dir, resume: false });
  await trainer.waitFor('started');
  trainer.send({ type: 'stop' });
  const finished = await trainer.waitFor('finished');
  assert.ok(['finished', 'stopped'].includes(finished.summary.outcome));
  assert.ok(!trainer.received.some((m) => m.type === 'error'), 'no error on the way out');
  assert.equal(await trainer.exited, 0);
  assert.equal(new CheckpointStore(dir).load()!.header.step, finished.summary.stepsDone);
});

test('a backend that cannot load ends the run with one fatal error naming it', async () => {
  const trainer = new TrainerUnderTest();
  await trainer.waitFor('ready');
  trainer.send({ type: 'start', config: resolveConfig('default', { backend: 'tensorflow-gpu' }), checkpointDir: tempDir('gpu'), resume: false });
  const error = await trainer.waitFor('error');
  assert.equal(error.fatal, true);
  assert.match(error.message, /tfjs-node-gpu could not be loaded/);
  assert.equal(await trainer.exited, 1);
});
