// ResNetModel.forwardThrough, the inside views' shortened forward pass: a block's layer outputs are
// exactly those of the full forward pass, and nothing after the block is computed.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { seedResNetArchitecture } from '../../shared/architecture';
import { loadBackend } from '../../trainer/backend/loadBackend';
import { ResNetModel } from '../../trainer/model/resnetModel';

before(async () => { await loadBackend('tensorflow'); });

/** Each observed layer's values, by name, in the order the pass reached them. */
function observed(run: (observe: (layerName: string, blockId: string, output: tf.Tensor) => void) => void): Map<string, Float32Array> {
  const seen = new Map<string, Float32Array>();
  tf.tidy(() => run((layerName, _blockId, output) => { seen.set(layerName, output.dataSync() as Float32Array); }));
  return seen;
}

test('forwardThrough res2a: the same layer outputs as the full forward pass, and no layer after res2a', () => {
  const model = new ResNetModel(seedResNetArchitecture(), 'he', 7);
  const image = tf.tidy(() => tf.randomUniform([1, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D);
  try {
    const full = observed((observe) => model.forward(image, { training: false, observe }));
    let output: number[] = [];
    const through = observed((observe) => { output = model.forwardThrough(image, 'res2a', { observe }).shape; });
    assert.deepEqual([...through.keys()], ['input', 'stem/conv', 'pool1/max', 'res2a/shortcut', 'res2a/conv1', 'res2a/conv2', 'res2a/conv3', 'res2a/add']);
    assert.deepEqual(output, [1, 14, 14, 256]);
    for (const [name, values] of through) assert.deepEqual(values, full.get(name), name);
    assert.ok(full.has('fc1/dense') && full.has('res2b/add'), 'the full pass goes on past res2a');
  } finally {
    image.dispose();
    model.dispose();
  }
});

test('forwardThrough an unknown block is refused by name', () => {
  const model = new ResNetModel(seedResNetArchitecture(), 'he', 7);
  const image = tf.zeros([1, 28, 28, 1]) as tf.Tensor4D;
  try {
    assert.throws(() => tf.tidy(() => model.forwardThrough(image, 'res9z', {})), /There is no block "res9z"/);
  } finally {
    image.dispose();
    model.dispose();
  }
});
