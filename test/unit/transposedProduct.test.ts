// a · bᵀ as (b · aᵀ)ᵀ (trainer/graph/transposedProduct.ts): TensorFlow's gradient of a dense
// layer's input is rewritten to it in place, and gives the same values as before the rewrite.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadBackend } from '../../trainer/backend/loadBackend';
import { DT_INT32, GraphBuilder } from '../../trainer/graph/graphBuilder';
import { GraphSession } from '../../trainer/graph/graphSession';
import { addTensorFlowGradients } from '../../trainer/graph/tensorflowGradients';
import { productWithTransposed, rewriteTransposedProducts } from '../../trainer/graph/transposedProduct';
import { FLOAT_T } from '../../trainer/layers/graphAttrs';

before(async () => { await loadBackend('tensorflow'); });

function run(g: GraphBuilder, feeds: [string, tf.Tensor][], fetches: string[]): Float32Array[] {
  const session = new GraphSession(g);
  try {
    const outputs = session.run(feeds, fetches);
    const values = outputs.map((t) => t.dataSync() as Float32Array);
    tf.dispose(outputs);
    return values;
  } finally {
    session.dispose();
  }
}

test('productWithTransposed(a, b) is a · bᵀ', () => {
  const g = new GraphBuilder();
  const product = productWithTransposed(g, 'p', g.placeholder('a', [2, 3]), g.placeholder('b', [4, 3]));
  const a = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
  const b = tf.tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]]);
  const [value] = run(g, [['a', a], ['b', b]], [product]);
  assert.deepEqual([...value!], [1, 2, 3, 6, 4, 5, 6, 15]);
  tf.dispose([a, b]);
});

test('TensorFlow\'s input gradient of a dense layer, MatMul(dy, W, transpose_b), is rewritten to (W · dyᵀ)ᵀ with the same values', () => {
  const g = new GraphBuilder();
  const x = g.placeholder('x', [-1, 5]);
  const w = g.placeholder('w', [5, 3]);
  const y = g.node('y', 'MatMul', [x, w], { ...FLOAT_T, transpose_a: { b: false }, transpose_b: { b: false } });
  const loss = g.node('loss', 'Sum', [g.node('squared', 'Square', [y], FLOAT_T), g.int32Const('axes', [0, 1])], { ...FLOAT_T, Tidx: { type: DT_INT32 }, keep_dims: { b: false } });
  const feeds: [string, tf.Tensor][] = [['x', tf.randomNormal([4, 5], 0, 1, 'float32', 1)], ['w', tf.randomNormal([5, 3], 0, 1, 'float32', 2)]];
  const { graph, gradients } = addTensorFlowGradients(g, loss, [x, w], 'grads');
  const transposedB = (builder: GraphBuilder) => builder.nodesOf('MatMul', 'grads/').filter((n) => n.flag('transpose_b') && !n.flag('transpose_a')).map((n) => n.name);
  const [dx] = transposedB(graph);
  assert.ok(dx && transposedB(graph).length === 1, 'TensorFlow writes dx = dy · Wᵀ');
  const before = run(graph, feeds, gradients);
  rewriteTransposedProducts(graph, 'grads/');
  // The node keeps its name and becomes the transpose of W · dyᵀ, whose transposed operand is dy.
  assert.deepEqual(graph.nodesOf('Transpose', dx).map((n) => n.name), [dx]);
  assert.deepEqual(transposedB(graph), [`${dx}/swapped`]);
  assert.equal(graph.nodesOf('MatMul', `${dx}/swapped`)[0]!.inputs[0], w);
  const after = run(graph, feeds, gradients);
  assert.deepEqual(after.map((v) => [...v]), before.map((v) => [...v]));
  assert.ok(after[0]!.some((v) => v !== 0));
  tf.dispose(feeds.map(([, t]) => t));
});
