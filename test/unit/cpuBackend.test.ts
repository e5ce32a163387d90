// The pure-JS backend runs only when asked for, and says how slow it is.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBackend } from '../../trainer/backend/loadBackend';
import { createParameterStore, readStoredData } from '../../trainer/model/parameterStore';
import { createAdam } from '../../trainer/train/adam';
import { AdamOptimizer } from '../../trainer/train/adamOptimizer';
import { constantRateAdam } from '../../trainer/train/adamSettings';

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

test('on the cpu backend parameters are tfjs Variables and Adam is the portable implementation', async () => {
  await loadBackend('cpu');
  const store = createParameterStore(['w'], [tf.tensor1d([1, -1])]);
  assert.equal(store.kind, 'variables');
  const adam = createAdam(store, constantRateAdam(0.1));
  assert.ok(adam instanceof AdamOptimizer);
  const gradient = tf.tensor1d([0.5, -2]);
  adam.apply([gradient]);
  // The first Adam step moves each weight by lr against its gradient's sign (m/sqrt(v) = ±1).
  const w = readStoredData(store, 0);
  assert.ok(Math.abs(w[0]! - 0.9) < 1e-6 && Math.abs(w[1]! + 0.9) < 1e-6, `got ${Array.from(w)}`);
  tf.dispose(gradient);
  adam.dispose();
  store.dispose();
});
