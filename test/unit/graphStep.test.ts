// The graph engine (trainer/graph: one TensorFlow graph per training step, parameters and Adam
// state inside it) against the eager engine it replaces on the native backend: same loss, same
// update up to float rounding, same logits; its variable store reads and sets values; and graphs
// TensorFlow rejects fail with a clear error instead of crashing the process.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { seedResNetArchitecture } from '../../shared/architecture';
import { resolveConfig } from '../../shared/trainingConfig';
import type { ProgressReport } from '../../shared/trainingReports';
import { loadBackend } from '../../trainer/backend/loadBackend';
import { GraphBuilder } from '../../trainer/graph/graphBuilder';
import { GraphSession } from '../../trainer/graph/graphSession';
import { GraphStepEngine } from '../../trainer/graph/graphStepEngine';
import type { MnistDataset } from '../../trainer/mnist';
import type { StoredTensors } from '../../trainer/model/parameterStore';
import { PausableRunControl } from '../../trainer/runControl';
import { adamSettingsFor, constantRateAdam } from '../../trainer/train/adamSettings';
import { createStepEngine } from '../../trainer/train/createStepEngine';
import { EagerStepEngine, type ModelSetup } from '../../trainer/train/stepEngine';
import { TrainingRun } from '../../trainer/train/trainingRun';
import { tempDir } from '../support/paths';
import { quiet } from '../support/quietSink';
import { smallMnist } from '../support/smallMnist';

let dataset: MnistDataset;
before(async () => {
  await loadBackend('tensorflow');
  dataset = await smallMnist();
});

/** max |a − b| / max |b|: the error relative to the tensor's scale. */
function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / Math.max(tf.max(tf.abs(b)).dataSync()[0]!, 1e-30));
}

function oneHot(labels: number[]): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 10), 'float32') as tf.Tensor2D);
}

const LEARNING_RATE = 1e-3;
const LEVERS_ON = { lrSchedule: 'cosine', warmupSteps: 2, lrFloor: 0.1, denseLrScale: 0.1, adamEpsilon: 1e-6 } as const;

// With 'scheduled', Adam warms up over 2 updates, decays by cosine over 4, trains fc1/fc2 at a tenth and uses ε 1e-6.
const setup = (init: 'he' | 'seed', scheduled = false): ModelSetup => {
  const arch = seedResNetArchitecture();
  const adam = scheduled ? adamSettingsFor(resolveConfig('default', { learningRate: LEARNING_RATE, steps: 4, ...LEVERS_ON }), arch) : constantRateAdam(LEARNING_RATE);
  return { arch, init, seed: 5, adam };
};

function compareStores(what: string, a: StoredTensors, b: StoredTensors, check: (name: string, x: tf.Tensor, y: tf.Tensor) => void): void {
  const [xs, ys] = [a.readAll(), b.readAll()];
  xs.forEach((x, i) => check(`${what} ${a.names[i]}`, x, ys[i]!));
  tf.dispose([...xs, ...ys]);
}

for (const [init, scheduled] of [['he', false], ['seed', false], ['he', true]] as const) {
  test(`graph and eager engines agree on a step: loss, parameters, Adam moments and logits (${init} init${scheduled ? ', scheduled rates per layer group' : ''})`, () => {
    const eager = new EagerStepEngine(setup(init, scheduled));
    const graph = new GraphStepEngine(setup(init, scheduled));
    compareStores('initial', graph.model.parameters, eager.model.parameters, (name, x, y) => assert.equal(relativeError(x, y), 0, name));
    const images = tf.randomUniform([12, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const labels = oneHot([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2]);
    for (let step = 0; step < 2; step++) {
      const [e, g] = [eager.step(images, labels, 42 + step), graph.step(images, labels, 42 + step)];
      const [eLoss, gLoss] = [e.dataSync()[0]!, g.dataSync()[0]!];
      assert.ok(Number.isFinite(gLoss) && gLoss > 0);
      assert.ok(Math.abs(gLoss - eLoss) <= 1e-4 * Math.abs(eLoss), `step ${step + 1}: loss ${gLoss} vs ${eLoss}`);
      tf.dispose([e, g]);
    }
    assert.equal(graph.iteration, 2);
    compareStores('m', graph.m, eager.m, (name, x, y) => assert.ok(relativeError(x, y) < 1e-3, `${name}: ${relativeError(x, y)}`));
    compareStores('v', graph.v, eager.v, (name, x, y) => assert.ok(relativeError(x, y) < 2e-3, `${name}: ${relativeError(x, y)}`));
    compareStores('parameter', graph.model.parameters, eager.model.parameters, (name, x, y) => tf.tidy(() => {
      // Each Adam step moves a weight by about lr whatever the gradient's size, so rounding can flip
      // the step of a weight whose gradient is nearly zero (saturated seed logits have some);
      // nearly every weight must agree far more closely than that.
      const diff = tf.abs(tf.sub(x, y));
      assert.ok(tf.max(diff).dataSync()[0]! <= 4.1 * LEARNING_RATE, `${name}: differs by more than two steps`);
      const far = tf.sum(tf.cast(tf.greater(diff, 1e-5), 'float32')).dataSync()[0]!;
      assert.ok(far <= Math.max(1, 0.01 * x.size), `${name}: ${far} of ${x.size} weights differ by more than 1e-5`);
    }));
    tf.tidy(() => assert.ok(relativeError(graph.logits(images), eager.logits(images)) < 1e-3));
    // The parameters really moved, and another dropout seed draws other masks.
    tf.tidy(() => {
      const before = graph.model.parameters.read(0);
      const a = graph.step(images, labels, 1).dataSync()[0];
      const b = graph.step(images, labels, 2).dataSync()[0];
      assert.notEqual(a, b);
      assert.ok(relativeError(graph.model.parameters.read(0), before) > 0);
    });
    tf.dispose([images, labels]);
    graph.dispose();
    eager.dispose();
  });
}

for (const [levers, leverOverrides] of [['off', {}], ['on', LEVERS_ON]] as const) test(`a training run gives the same losses in graph and eager execution, up to float rounding (learning-rate levers ${levers})`, async () => {
  const losses = async (execution: 'graph' | 'eager') => {
    const seen: ProgressReport[] = [];
    const config = resolveConfig('default', { steps: 6, batchSize: 8, seed: 9, evalEvery: 0, checkpointEvery: 0, logEvery: 1, ...leverOverrides });
    const run = new TrainingRun({ config, dataset, backend: 'tensorflow', resume: false, execution });
    const summary = await run.run(new PausableRunControl(), { ...quiet, progress: (p) => seen.push(p) });
    run.dispose();
    return { losses: seen.map((p) => p.loss), accuracy: summary.test!.accuracy };
  };
  const graph = await losses('graph');
  const eager = await losses('eager');
  assert.equal(graph.losses.length, 6);
  graph.losses.forEach((loss, i) => assert.ok(Math.abs(loss - eager.losses[i]!) < 1e-3 * Math.abs(loss), `step ${i + 1}: ${loss} vs ${eager.losses[i]}`));
  assert.ok(Math.abs(graph.accuracy - eager.accuracy) <= 0.01, `test accuracy ${graph.accuracy} vs ${eager.accuracy}`);
});

test('resuming on the other engine says the numbers will differ by float rounding; the same engine says nothing', async () => {
  const dir = tempDir('engine-change');
  const config = resolveConfig('default', { steps: 2, batchSize: 4, seed: 3, evalEvery: 0, checkpointEvery: 0, logEvery: 1 });
  const first = new TrainingRun({ config, dataset, backend: 'tensorflow', resume: false, execution: 'eager', checkpointDir: dir });
  await first.run(new PausableRunControl(), quiet);
  first.dispose();
  const onGraph = new TrainingRun({ config: { ...config, steps: 3 }, dataset, backend: 'tensorflow', resume: true, checkpointDir: dir });
  assert.equal(onGraph.execution, 'graph');
  assert.match(onGraph.resumeWarning ?? '', /trained with eager ops and continues with one TensorFlow graph per step/);
  await onGraph.run(new PausableRunControl(), quiet);
  onGraph.dispose();
  const again = new TrainingRun({ config: { ...config, steps: 4 }, dataset, backend: 'tensorflow', resume: true, checkpointDir: dir });
  assert.equal(again.resumeWarning, undefined);
  again.dispose();
});

test('the keep probability reaches the graph: keep 1 trains without dropout masks, and other losses than keep 0.5', async () => {
  const losses = async (keepProb: number) => {
    const seen: number[] = [];
    const config = resolveConfig('default', { steps: 3, batchSize: 8, seed: 9, keepProb, evalEvery: 0, checkpointEvery: 0, logEvery: 1 });
    const run = new TrainingRun({ config, dataset, backend: 'tensorflow', resume: false });
    const dropout = run.architecture.spec.blocks.find((b) => b.id === 'dropout')!;
    assert.deepEqual(dropout.layers, [{ op: 'dropout', name: 'dropout', keepProb }]);
    assert.equal(dropout.title, `dropout · keep ${keepProb}`);
    await run.run(new PausableRunControl(), { ...quiet, progress: (p) => seen.push(p.loss) });
    run.dispose();
    return seen;
  };
  const [half, all] = [await losses(0.5), await losses(1)];
  assert.equal(all.length, 3);
  assert.notEqual(all[0], half[0], 'keep 1 and keep 0.5 gave the same first loss');
});

test('graph steps leak no tensors: feeds stay the caller\'s, fetches are the caller\'s to free', () => {
  const graph = new GraphStepEngine(setup('he'));
  const images = tf.zeros([4, 28, 28, 1]) as tf.Tensor4D;
  const labels = oneHot([0, 0, 0, 0]);
  const step = () => { graph.step(images, labels, 3).dispose(); graph.logits(images).dispose(); };
  step();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) step();
  assert.equal(tf.memory().numTensors, before);
  graph.dispose();
  tf.dispose([images, labels]);
});

test('the graph\'s variable store reads back what was assigned, one or all, and refuses a wrong shape', () => {
  const graph = new GraphStepEngine(setup('he'));
  const store = graph.m;
  const index = store.names.indexOf('fc2/dense/bias/adam_m');
  assert.ok(index >= 0);
  const value = tf.range(0, 10, 1, 'float32');
  store.assign(index, value);
  const read = store.read(index);
  assert.deepEqual(Array.from(read.dataSync()), Array.from(value.dataSync()));
  assert.throws(() => store.assign(index, tf.zeros([11])), /cannot assign shape 11 to 10/);
  const all = store.readAll();
  assert.equal(all.length, store.names.length);
  assert.equal(tf.sum(tf.abs(all[0]!)).dataSync()[0], 0);
  tf.dispose([value, read, ...all]);
  // The start-up check ran a step and put everything back: zero moments, t = 0.
  assert.equal(graph.iteration, 0);
  for (const moments of [graph.v.readAll(), graph.m.readAll().filter((_, i) => i !== index)]) {
    assert.equal(tf.tidy(() => tf.addN(moments.map((t) => tf.sum(tf.abs(t)))).dataSync()[0]), 0);
    tf.dispose(moments);
  }
  graph.dispose();
});

test('a TensorFlow that cannot run the graph falls back to eager ops with a warning that says why', () => {
  const refused = createStepEngine(setup('he'), 'graph', () => {
    throw new Error("Failed to load SavedModel: Op type not registered 'ResourceApplyAdam'\nmore detail");
  });
  assert.equal(refused.engine.execution, 'eager');
  assert.ok(refused.engine instanceof EagerStepEngine);
  assert.match(refused.warning ?? '', /could not run the training step as one graph \(Failed to load SavedModel: Op type not registered 'ResourceApplyAdam'\); training runs as eager ops/);
  const images = tf.zeros([2, 28, 28, 1]) as tf.Tensor4D;
  const labels = oneHot([3, 4]);
  const loss = refused.engine.step(images, labels, 1);
  assert.ok(Number.isFinite(loss.dataSync()[0]));
  tf.dispose([loss, images, labels]);
  refused.engine.dispose();

  const graph = createStepEngine(setup('he'), 'graph');
  assert.equal(graph.engine.execution, 'graph');
  assert.ok(graph.engine instanceof GraphStepEngine);
  assert.equal(graph.warning, undefined);
  graph.engine.dispose();
  const eager = createStepEngine(setup('he'), 'eager', () => assert.fail('eager was asked for'));
  assert.equal(eager.engine.execution, 'eager');
  eager.engine.dispose();
});

test('a graph TensorFlow rejects fails with its reason, and the process goes on', () => {
  const broken = new GraphBuilder();
  broken.node('y', 'Relu', ['missing_input'], { T: { type: 1 } });
  assert.throws(() => new GraphSession(broken), /Failed to load SavedModel.*missing_input/s);
  const unknownOp = new GraphBuilder();
  unknownOp.node('y', 'NoSuchOp', []);
  assert.throws(() => new GraphSession(unknownOp), /NoSuchOp/);
  const ok = new GraphBuilder();
  ok.placeholder('x', [-1]);
  ok.node('y', 'Relu', ['x'], { T: { type: 1 } });
  const session = new GraphSession(ok);
  const x = tf.tensor1d([-1, 2]);
  assert.throws(() => session.run([['x', x]], ['nope']), /not be found/);
  const [y] = session.run([['x', x]], ['y']);
  assert.deepEqual(Array.from(y!.dataSync()), [0, 2]);
  session.dispose();
  assert.throws(() => session.run([['x', x]], ['y']), /closed/);
  tf.dispose([x, y!]);
});

test('the graph builder refuses duplicate node names', () => {
  const g = new GraphBuilder();
  g.placeholder('x', [1]);
  assert.throws(() => g.placeholder('x', [1]), /already has a node x/);
});
