// The native-kernel layer ops compute the same values and gradients as tfjs's portable ops.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadBackend } from '../../trainer/backend/loadBackend';
import { nativeLayerOps, portableLayerOps, type LayerOps } from '../../trainer/model/layerOps';

before(async () => { await loadBackend('tensorflow'); });

function maxRelativeDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.div(tf.abs(tf.sub(a, b)), tf.add(tf.abs(b), 1e-3))).dataSync()[0]!);
}

/** Value and gradients of sum(f(inputs) * weights) with respect to every input. */
function valueAndGrads(inputs: tf.Tensor[], f: (ops: LayerOps, xs: tf.Tensor[]) => tf.Tensor, ops: LayerOps) {
  const y = f(ops, inputs);
  const weights = tf.randomNormal(y.shape, 0, 1, 'float32', 99);
  const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(ops, xs), weights)))(inputs);
  return { y, grads };
}

function assertSameMaths(name: string, inputs: tf.Tensor[], f: (ops: LayerOps, xs: tf.Tensor[]) => tf.Tensor): void {
  tf.tidy(() => {
    const native = valueAndGrads(inputs, f, nativeLayerOps());
    const portable = valueAndGrads(inputs, f, portableLayerOps);
    assert.deepEqual(native.y.shape, portable.y.shape, `${name}: shape`);
    assert.ok(maxRelativeDifference(native.y, portable.y) < 1e-4, `${name}: values differ`);
    native.grads.forEach((g, i) => {
      assert.deepEqual(g.shape, inputs[i]!.shape);
      const difference = maxRelativeDifference(g, portable.grads[i]!);
      assert.ok(difference < 1e-3, `${name}: gradient ${i} differs by ${difference}`);
      assert.ok(tf.sum(tf.abs(g)).dataSync()[0]! > 0, `${name}: gradient ${i} is zero`);
    });
  });
}

const x = () => tf.randomNormal([3, 14, 14, 8], 0, 1, 'float32', 1) as tf.Tensor4D;

test('conv + bias + ReLU (3×3 same), conv + ReLU without bias, and a strided VALID projection', () => {
  const filter = tf.randomNormal([3, 3, 8, 16], 0, 0.2, 'float32', 2) as tf.Tensor4D;
  const bias = tf.randomNormal([16], 0, 0.1, 'float32', 3) as tf.Tensor1D;
  assertSameMaths('conv bias relu', [x(), filter, bias], (ops, [a, k, b]) => ops.conv(a as tf.Tensor4D, k as tf.Tensor4D, b as tf.Tensor1D, 1, 'same', 'relu'));
  assertSameMaths('conv relu', [x(), filter], (ops, [a, k]) => ops.conv(a as tf.Tensor4D, k as tf.Tensor4D, undefined, 1, 'same', 'relu'));
  const projection = tf.randomNormal([1, 1, 8, 32], 0, 0.2, 'float32', 4) as tf.Tensor4D;
  assertSameMaths('projection', [x(), projection], (ops, [a, k]) => ops.conv(a as tf.Tensor4D, k as tf.Tensor4D, undefined, 2, 'valid', 'none'));
  const stem = tf.randomNormal([2, 2, 8, 4], 0, 0.2, 'float32', 5) as tf.Tensor4D;
  assertSameMaths('stem 2×2/2 same', [x(), stem, tf.zeros([4])], (ops, [a, k, b]) => ops.conv(a as tf.Tensor4D, k as tf.Tensor4D, b as tf.Tensor1D, 2, 'same', 'relu'));
});

test('dense + bias with and without ReLU', () => {
  const a = tf.randomNormal([5, 40], 0, 1, 'float32', 6) as tf.Tensor2D;
  const w = tf.randomNormal([40, 12], 0, 0.3, 'float32', 7) as tf.Tensor2D;
  const b = tf.randomNormal([12], 0, 0.1, 'float32', 8) as tf.Tensor1D;
  assertSameMaths('dense relu', [a, w, b], (ops, [i, k, c]) => ops.dense(i as tf.Tensor2D, k as tf.Tensor2D, c as tf.Tensor1D, 'relu'));
  assertSameMaths('dense logits', [a, w, b], (ops, [i, k, c]) => ops.dense(i as tf.Tensor2D, k as tf.Tensor2D, c as tf.Tensor1D, 'none'));
});

test('residual join: ReLU(main + shortcut + bias)', () => {
  const main = x();
  const shortcut = tf.randomNormal([3, 14, 14, 8], 0, 1, 'float32', 9) as tf.Tensor4D;
  const bias = tf.randomNormal([8], 0, 0.1, 'float32', 10) as tf.Tensor1D;
  assertSameMaths('residual join', [main, shortcut, bias], (ops, [m, s, b]) => ops.residualJoin(m as tf.Tensor4D, s as tf.Tensor4D, b as tf.Tensor1D, 'relu'));
});

test('every activation: conv, dense and residual join with elu, tanh and none agree with tfjs autodiff', () => {
  const filter = tf.randomNormal([3, 3, 8, 16], 0, 0.2, 'float32', 2) as tf.Tensor4D;
  const bias = tf.randomNormal([16], 0, 0.1, 'float32', 3) as tf.Tensor1D;
  const a = tf.randomNormal([5, 40], 0, 1, 'float32', 6) as tf.Tensor2D;
  const w = tf.randomNormal([40, 12], 0, 0.3, 'float32', 7) as tf.Tensor2D;
  const b = tf.randomNormal([12], 0, 0.1, 'float32', 8) as tf.Tensor1D;
  const shortcut = tf.randomNormal([3, 14, 14, 8], 0, 1, 'float32', 9) as tf.Tensor4D;
  const joinBias = tf.randomNormal([8], 0, 0.1, 'float32', 10) as tf.Tensor1D;
  for (const activation of ['elu', 'tanh', 'none'] as const) {
    assertSameMaths(`conv ${activation}`, [x(), filter, bias], (ops, [i, k, c]) => ops.conv(i as tf.Tensor4D, k as tf.Tensor4D, c as tf.Tensor1D, 1, 'same', activation));
    assertSameMaths(`dense ${activation}`, [a, w, b], (ops, [i, k, c]) => ops.dense(i as tf.Tensor2D, k as tf.Tensor2D, c as tf.Tensor1D, activation));
    assertSameMaths(`join ${activation}`, [x(), shortcut, joinBias], (ops, [m, s, c]) => ops.residualJoin(m as tf.Tensor4D, s as tf.Tensor4D, c as tf.Tensor1D, activation));
  }
});

test('the native ops leak no tensors through a forward and backward pass', () => {
  const ops = nativeLayerOps();
  const filter = tf.randomNormal([3, 3, 8, 8], 0, 0.2, 'float32', 2) as tf.Tensor4D;
  const bias = tf.zeros([8]) as tf.Tensor1D;
  const input = x();
  const step = () => tf.tidy(() => tf.grads((a: tf.Tensor, k: tf.Tensor, b: tf.Tensor) =>
    tf.sum(ops.residualJoin(ops.conv(a as tf.Tensor4D, k as tf.Tensor4D, b as tf.Tensor1D, 1, 'same', 'relu'), a as tf.Tensor4D, b as tf.Tensor1D, 'relu')))([input, filter, bias]));
  tf.dispose(step());
  const before = tf.memory().numTensors;
  tf.dispose(step());
  assert.equal(tf.memory().numTensors, before);
});
