// Batch normalisation's running statistics are part of the run's state: training moves them,
// checkpoints hold them, and a stopped and resumed run ends with the same statistics, bit for
// bit, as one that ran straight through; measuring uses them, not the batch's.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { basicBlock, batchNorm, conv, type ArchitectureSpec } from '../../shared/architecture';
import { resolveConfig } from '../../shared/trainingConfig';
import { loadBackend } from '../../trainer/backend/loadBackend';
import { CheckpointStore } from '../../trainer/checkpoint/checkpointStore';
import type { MnistDataset } from '../../trainer/mnist';
import { PausableRunControl } from '../../trainer/runControl';
import { constantRateAdam } from '../../trainer/train/adamSettings';
import { createStepEngine } from '../../trainer/train/createStepEngine';
import type { Execution } from '../../trainer/train/stepEngine';
import type { RunControl } from '../../trainer/train/runEvents';
import { TrainingRun } from '../../trainer/train/trainingRun';
import { tempDir } from '../support/paths';
import { quiet } from '../support/quietSink';
import { smallMnist } from '../support/smallMnist';

let dataset: MnistDataset;
before(async () => {
  await loadBackend('tensorflow');
  dataset = await smallMnist();
});

/** A small MNIST network with batch norm in its stem and in a basic block, ending in global average pooling. */
const normalised: ArchitectureSpec = {
  name: 'batch-norm test network',
  inputShape: [28, 28, 1],
  classes: 10,
  blocks: [
    { id: 'input', kind: 'input', title: 'input', layers: [] },
    { id: 'stem', kind: 'conv', title: 'stem', layers: [conv('stem/conv', 3, 8, 2, 'same', false, 'none'), batchNorm('stem/bn', 'relu')] },
    basicBlock('res1', 8, 2, true, true),
    { id: 'gap', kind: 'pool', title: 'gap', layers: [{ op: 'globalAvgPool', name: 'gap' }] },
    { id: 'logits', kind: 'dense', title: 'logits', layers: [{ op: 'dense', name: 'logits/dense', units: 10, bias: true, activation: 'none' }] },
  ],
};
const STATISTICS = ['stem/bn/movingMean', 'stem/bn/movingVariance', 'res1/bn1/movingMean', 'res1/bn2/movingVariance'];

const stopAfter = (run: () => TrainingRun, steps: number): RunControl => ({ waitWhilePaused: async () => {}, get stopRequested() { return run().currentStep >= steps; } });

for (const execution of ['graph', 'eager'] as Execution[]) {
  test(`${execution}: running statistics move, are checkpointed, and resume bit for bit`, async () => {
    const config = resolveConfig('default', { steps: 6, batchSize: 8, seed: 4, evalEvery: 0, checkpointEvery: 0, logEvery: 1 });
    const options = { dataset, backend: 'tensorflow', architecture: normalised, execution };
    const straightDir = tempDir(`bn-straight-${execution}`);
    const straight = new TrainingRun({ ...options, config, resume: false, checkpointDir: straightDir });
    assert.equal(straight.execution, execution);
    await straight.run(new PausableRunControl(), quiet);
    straight.dispose();

    const splitDir = tempDir(`bn-split-${execution}`);
    const first = new TrainingRun({ ...options, config, resume: false, checkpointDir: splitDir });
    await first.run(stopAfter(() => first, 2), quiet);
    first.dispose();
    const resumed = new TrainingRun({ ...options, config, resume: true, checkpointDir: splitDir });
    assert.equal(resumed.startStep, 2);
    await resumed.run(new PausableRunControl(), quiet);
    resumed.dispose();

    const a = new CheckpointStore(straightDir).load()!;
    const b = new CheckpointStore(splitDir).load()!;
    for (const name of STATISTICS) {
      const stored = a.tensors.get(name);
      assert.ok(stored, `the checkpoint holds ${name}`);
      const initial = name.endsWith('Mean') ? 0 : 1;
      assert.ok(stored.data.some((x) => Math.abs(x - initial) > 1e-4), `${name} moved from ${initial}`);
      assert.deepEqual(b.tensors.get(name)!.data, stored.data, `${name} differs after resume`);
    }
    for (const [name, tensor] of a.tensors) assert.deepEqual(b.tensors.get(name)!.data, tensor.data, `${name} differs after resume`);
  });
}

test('measuring normalises by the running statistics: the logits of one image do not depend on the rest of the batch', () => {
  for (const execution of ['graph', 'eager'] as Execution[]) {
    const { engine } = createStepEngine({ arch: normalised, init: 'he', seed: 2, adam: constantRateAdam(1e-3) }, execution);
    assert.equal(engine.execution, execution);
    tf.tidy(() => {
      const images = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
      engine.step(images, tf.oneHot(tf.tensor1d([1, 2, 3, 4], 'int32'), 10).toFloat() as tf.Tensor2D, 1);
      const alone = engine.logits(tf.slice(images, [0], [1]) as tf.Tensor4D);
      const inBatch = tf.slice(engine.logits(images), [0], [1]);
      assert.ok(tf.max(tf.abs(tf.sub(alone, inBatch))).dataSync()[0]! < 1e-5, execution);
    });
    engine.dispose();
  }
});
