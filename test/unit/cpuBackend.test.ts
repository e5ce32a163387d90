// The pure-JS backend runs only when asked for, and says how slow it is.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBackend } from '../../trainer/backend/loadBackend';

test('the cpu backend is selected only explicitly and warns about its speed', async () => {
  const loaded = await loadBackend('cpu');
  assert.equal(tf.getBackend(), 'cpu');
  assert.equal(loaded.description, 'pure JavaScript');
  assert.match(loaded.warning ?? '', /95 s per training step/);
  assert.deepEqual(Array.from(tf.add(tf.tensor1d([1, 2]), 1).dataSync()), [2, 3]);
});

test('models can train on the cpu backend: gradients are registered', async () => {
  await loadBackend('cpu');
  const w = tf.variable(tf.tensor1d([2, -1]));
  const { grads } = tf.variableGrads(() => tf.sum(tf.div(tf.square(w), 2)) as tf.Scalar, [w]);
  assert.deepEqual(Array.from(grads[w.name]!.dataSync()), [2, -1]);
});
