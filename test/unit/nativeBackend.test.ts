// The native backend really runs: tfjs-node's 'tensorflow' backend, and a conv→dense step gives
// finite, non-zero gradients.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BackendUnavailableError, loadBackend } from '../../trainer/backend/loadBackend';

test('the tensorflow backend loads libtensorflow and becomes the active tfjs backend', async () => {
  const loaded = await loadBackend('tensorflow');
  assert.equal(tf.getBackend(), 'tensorflow');
  assert.equal(loaded.tfjsBackend, 'tensorflow');
  assert.match(loaded.description, /^libtensorflow 2\.\d+\.\d+/);
  assert.equal(loaded.warning, undefined);
});

test('one forward and backward step of a small conv→dense net gives finite, non-zero gradients', async () => {
  await loadBackend('tensorflow');
  const kernel = tf.variable(tf.randomNormal([3, 3, 1, 8], 0, 0.1, 'float32', 1));
  const dense = tf.variable(tf.randomNormal([14 * 14 * 8, 10], 0, 0.05, 'float32', 2));
  const images = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
  const labels = tf.oneHot(tf.tensor1d([0, 3, 7, 9], 'int32'), 10);
  const { value, grads } = tf.variableGrads(() => {
    const features = tf.maxPool(tf.relu(tf.conv2d(images, kernel as tf.Tensor4D, 1, 'same')), 2, 2, 'same');
    return tf.losses.softmaxCrossEntropy(labels, tf.matMul(tf.reshape(features, [4, -1]), dense)) as tf.Scalar;
  }, [kernel, dense]);
  const loss = value.dataSync()[0]!;
  assert.ok(Number.isFinite(loss) && loss > 0, `loss ${loss}`);
  for (const v of [kernel, dense]) {
    const g = grads[v.name]!.dataSync() as Float32Array;
    assert.equal(g.length, v.size);
    assert.ok(g.every(Number.isFinite), `${v.name} has non-finite gradients`);
    const norm = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
    assert.ok(norm > 1e-6, `${v.name} gradient norm ${norm}`);
  }
  // Ran on the native kernels, not silently elsewhere.
  assert.equal(tf.getBackend(), 'tensorflow');
});

test('a native backend that cannot load names the package and the set-up command, without falling back', async () => {
  const failingRequire = () => {
    throw new Error('libtensorflow_cc.so.2: cannot open shared object file: No such file or directory\n    at Module._extensions');
  };
  await assert.rejects(loadBackend('tensorflow', failingRequire), (error: unknown) => {
    assert.ok(error instanceof BackendUnavailableError);
    assert.match(error.message, /@tensorflow\/tfjs-node could not be loaded \(libtensorflow_cc\.so\.2: cannot open shared object file/);
    assert.match(error.message, /npm run setup/);
    assert.doesNotMatch(error.message, /Module\._extensions/, 'one clear line, not a stack');
    return true;
  });
});
