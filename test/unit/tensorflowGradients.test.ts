// The tf_gradients addon (native/addGradients.c) on its own: it loads beside tfjs-node, TensorFlow
// differentiates a tiny graph through it (values checked by running the result), and every bad
// input is a thrown Error with TensorFlow's (or the addon's) message, never a crash of the process.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadBackend } from '../../trainer/backend/loadBackend';
import { DT_INT32, GraphBuilder } from '../../trainer/graph/graphBuilder';
import { GraphSession } from '../../trainer/graph/graphSession';
import { addTensorFlowGradients, gradientsAddon } from '../../trainer/graph/tensorflowGradients';
import { FLOAT_T } from '../../trainer/layers/graphAttrs';

before(async () => { await loadBackend('tensorflow'); });

/** loss = sum(x · w) over a fed x [3] and a fed w [3]. */
function dotProductGraph(): { g: GraphBuilder; loss: string } {
  const g = new GraphBuilder();
  const product = g.node('product', 'Mul', [g.placeholder('x', [3]), g.placeholder('w', [3])], FLOAT_T);
  const loss = g.node('loss', 'Sum', [product, g.int32Const('axis', [0])], { ...FLOAT_T, Tidx: { type: DT_INT32 }, keep_dims: { b: false } });
  return { g, loss };
}

function run(g: GraphBuilder, feeds: Record<string, number[]>, fetches: string[]): number[][] {
  const session = new GraphSession(g);
  const inputs = Object.entries(feeds).map(([name, values]) => [name, tf.tensor1d(values)] as const);
  try {
    const outputs = session.run(inputs, fetches);
    const values = outputs.map((t) => [...t.dataSync()]);
    tf.dispose(outputs);
    return values;
  } finally {
    tf.dispose(inputs.map(([, t]) => t));
    session.dispose();
  }
}

test('TensorFlow differentiates loss = sum(x·w): d loss/d w = x and d loss/d x = w', () => {
  const { g, loss } = dotProductGraph();
  const { graph, gradients } = addTensorFlowGradients(g, loss, ['w', 'x:0'], 'grads');
  assert.equal(gradients.length, 2);
  assert.ok(gradients.every((name) => /^grads\/.+:\d+$/.test(name)), gradients.join());
  const [value, dw, dx] = run(graph, { x: [1, -2, 3.5], w: [4, 0.5, -1] }, [loss, ...gradients]);
  assert.deepEqual(value, [4 - 1 - 3.5]);
  assert.deepEqual(dw, [1, -2, 3.5]);
  assert.deepEqual(dx, [4, 0.5, -1]);
  // The graph it was given is left as it was; in the new one TensorFlow's gradient of x reads w.
  assert.deepEqual(g.consumersOf('w'), ['product']);
  assert.ok(graph.consumersOf('w').some((name) => name.startsWith('grads/')), graph.consumersOf('w').join());
});

test('corrupt GraphDef bytes are an Error carrying TensorFlow\'s message', () => {
  const { addGradients } = gradientsAddon();
  assert.throws(() => addGradients(new Uint8Array([0x0a, 0xff, 0xff, 0x01, 0x02]), '', 'loss', ['w']),
    /^Error: addGradients: TensorFlow could not import the GraphDef: Invalid GraphDef/);
  // Bytes that parse but do not make a valid graph: TensorFlow's own complaint comes through.
  const g = new GraphBuilder();
  g.node('loss', 'Identity', ['missing_input'], FLOAT_T);
  assert.throws(() => addTensorFlowGradients(g, 'loss', ['missing_input'], ''), /could not import the GraphDef: .*missing_input/);
});

test('an unknown tensor name, a bad output index or a malformed name is an Error naming it', () => {
  const { g, loss } = dotProductGraph();
  assert.throws(() => addTensorFlowGradients(g, loss, ['nope'], ''), { message: 'addGradients: the graph has no node "nope"' });
  assert.throws(() => addTensorFlowGradients(g, 'missing_loss', ['w'], ''), { message: 'addGradients: the graph has no node "missing_loss"' });
  assert.throws(() => addTensorFlowGradients(g, loss, ['w:3'], ''), { message: 'addGradients: node "w" has 1 outputs, not 4' });
  assert.throws(() => addTensorFlowGradients(g, loss, ['w:x'], ''), { message: 'addGradients: "w:x" is not a tensor name (node or node:index)' });
});

test('gradients TensorFlow cannot form are an Error with its message: an op with no registered gradient, an x the loss does not depend on', () => {
  const g = new GraphBuilder();
  const x = g.placeholder('x', [3]);
  const rounded = g.node('rounded', 'Round', [x], FLOAT_T);
  const loss = g.node('loss', 'Sum', [rounded, g.int32Const('axis', [0])], { ...FLOAT_T, Tidx: { type: DT_INT32 }, keep_dims: { b: false } });
  assert.throws(() => addTensorFlowGradients(g, loss, [x], ''), /^Error: addGradients: TensorFlow could not add the gradients: No gradient defined for op: Round/);
  const other = g.placeholder('other', [3]);
  assert.throws(() => addTensorFlowGradients(g, loss, [other], ''),
    { message: 'addGradients: TensorFlow could not add the gradients: Cannot compute the partial derivative for node \'other\' as it\'s unreachable from the output node(s).' });
});

test('arguments of the wrong kind are a TypeError or an Error, not a crash', () => {
  const { addGradients } = gradientsAddon() as unknown as { addGradients: (...args: unknown[]) => unknown };
  const bytes = dotProductGraph().g.toGraphDef();
  assert.throws(() => addGradients('not bytes', '', 'loss', ['w']), { name: 'TypeError', message: 'addGradients: graphDef must be a Uint8Array' });
  assert.throws(() => addGradients(new Float32Array(4), '', 'loss', ['w']), { name: 'TypeError', message: 'addGradients: graphDef must be a Uint8Array' });
  assert.throws(() => addGradients(bytes, '', 7, ['w']), { name: 'TypeError', message: 'addGradients: y must be a string' });
  assert.throws(() => addGradients(bytes, '', 'loss', 'w'), { name: 'TypeError', message: 'addGradients: xs must be an array of tensor names' });
  assert.throws(() => addGradients(bytes, '', 'loss', [1]), { name: 'TypeError', message: 'addGradients: each of xs must be a string' });
  assert.throws(() => addGradients(bytes, '', 'loss', []), { message: 'addGradients: xs is empty' });
  assert.throws(() => addGradients(bytes, '', 'loss'), { message: 'addGradients(graphDef, prefix, y, xs) takes 4 arguments' });
  assert.throws(() => addGradients(bytes, '', 'x'.repeat(5000), ['w']), { message: 'addGradients: y is longer than 1023 bytes' });
});
