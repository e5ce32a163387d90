// Equivalence over many networks: for each of 24 seeded random specs over the whole layer
// vocabulary and each gradient source (TensorFlow's gradient registry through our addon, and the
// layer modules' hand-written tape), the graph engine's loss, gradients, Adam update and batch-norm
// running statistics match TensorFlow.js autodiff of the portable tfjs ops (the oracle) within float tolerance; its
// inference logits match the oracle's with the updated weights; and the eager engine on native
// kernels takes the same step.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { ACTIVATIONS, type ArchitectureSpec } from '../../shared/architecture';
import { isTrainedByAdam } from '../../shared/layerArithmetic';
import { computeModelFigures } from '../../shared/modelFigures';
import { loadBackend } from '../../trainer/backend/loadBackend';
import { GraphStepEngine } from '../../trainer/graph/graphStepEngine';
import { GRADIENT_SOURCES } from '../../trainer/graph/lossGradients';
import { portableLayerOps } from '../../trainer/model/layerOps';
import { ResNetModel } from '../../trainer/model/resnetModel';
import { constantRateAdam } from '../../trainer/train/adamSettings';
import { EagerStepEngine, type ModelSetup } from '../../trainer/train/stepEngine';
import { randomArchitecture } from '../support/randomArchitecture';

before(async () => { await loadBackend('tensorflow'); });

const NETWORKS = 24;
const SEEDS = Array.from({ length: NETWORKS }, (_, i) => 1000 + i);
const LEARNING_RATE = 1e-3;
const ADAM = constantRateAdam(LEARNING_RATE);
const BATCH = 6;
const DROPOUT_SEED = 11;

/** max |a − b| / max |b|, or max |a − b| when b is all but zero. */
function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => {
    const difference = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
    const scale = tf.max(tf.abs(b)).dataSync()[0]!;
    return scale < 1e-6 ? difference : difference / scale;
  });
}

function batchOf(arch: ArchitectureSpec, seed: number): { images: tf.Tensor4D; labels: tf.Tensor2D } {
  return tf.tidy(() => ({
    images: tf.randomUniform([BATCH, ...arch.inputShape], 0, 1, 'float32', seed) as tf.Tensor4D,
    labels: tf.oneHot(tf.tensor1d(Array.from({ length: BATCH }, (_, i) => (i * 7 + seed) % arch.classes), 'int32'), arch.classes).toFloat() as tf.Tensor2D,
  }));
}

/** The oracle's step: loss, trained gradients and running-statistic updates by name, by tfjs autodiff of the portable ops. */
function oracleStep(model: ResNetModel, images: tf.Tensor4D, labels: tf.Tensor2D) {
  const weights = model.parameters.readAll();
  const trained = model.trainedIndices;
  const stateUpdates = new Map<string, tf.Tensor>();
  const { value, grads } = tf.valueAndGrads((...trainedValues: tf.Tensor[]) => {
    const values = [...weights];
    trained.forEach((index, k) => { values[index] = trainedValues[k]!; });
    return tf.losses.softmaxCrossEntropy(labels, model.forward(images, { training: true, dropoutSeed: DROPOUT_SEED, stateUpdates }, values)) as tf.Scalar;
  })(trained.map((index) => weights[index]!));
  return { weights, loss: value, gradients: new Map(trained.map((index, k) => [model.specs[index]!.name, grads[k]!])), stateUpdates };
}

/** TensorFlow's ResourceApplyAdam at t = 1 from zero moments: m = (1 − β1)g, v = (1 − β2)g², p −= lr·√(1 − β2)/(1 − β1) · m/(√v + ε). */
function adamFirstUpdate(p: tf.Tensor, g: tf.Tensor): { p: tf.Tensor; m: tf.Tensor } {
  return tf.tidy(() => {
    const m = tf.mul(g, 1 - ADAM.beta1);
    const v = tf.mul(tf.square(g), 1 - ADAM.beta2);
    const lrT = (LEARNING_RATE * Math.sqrt(1 - ADAM.beta2)) / (1 - ADAM.beta1);
    return { p: tf.sub(p, tf.mul(lrT, tf.div(m, tf.add(tf.sqrt(v), ADAM.epsilon)))), m };
  });
}

/**
 * Parameters after one Adam step: each weight moves by about lr whatever its gradient's size, so a
 * gradient within rounding of zero may move it either way; all weights stay within two steps, and
 * nearly all agree far more closely.
 */
function assertSameUpdate(what: string, actual: tf.Tensor, expected: tf.Tensor): void {
  tf.tidy(() => {
    const diff = tf.abs(tf.sub(actual, expected));
    assert.ok(tf.max(diff).dataSync()[0]! <= 2.1 * LEARNING_RATE, `${what}: differs by more than two steps`);
    const far = tf.sum(tf.cast(tf.greater(diff, 1e-6), 'float32')).dataSync()[0]!;
    assert.ok(far <= Math.max(1, 0.01 * actual.size), `${what}: ${far} of ${actual.size} values differ by more than 1e-6`);
  });
}

test(`the ${NETWORKS} generated networks are valid and cover the vocabulary`, () => {
  const specs = SEEDS.map(randomArchitecture);
  for (const arch of specs) assert.doesNotThrow(() => computeModelFigures(arch), arch.name);
  const layers = specs.flatMap((arch) => computeModelFigures(arch).blocks.flatMap((b) => b.layers));
  const ops = new Set(layers.map((l) => l.op));
  for (const op of ['conv2d', 'maxPool', 'avgPool', 'globalAvgPool', 'batchNorm', 'flatten', 'dense', 'dropout', 'add']) assert.ok(ops.has(op as never), `no ${op}`);
  const allLayers = specs.flatMap((arch) => arch.blocks.flatMap((b) => [...b.layers, ...(b.shortcut?.kind === 'projection' ? [b.shortcut.layer] : [])]));
  for (const activation of ACTIVATIONS) assert.ok(allLayers.some((l) => 'activation' in l && l.activation === activation), `no ${activation} activation`);
  const blocks = specs.flatMap((arch) => arch.blocks);
  assert.ok(blocks.some((b) => b.shortcut?.kind === 'identity') && blocks.some((b) => b.shortcut?.kind === 'projection'), 'both shortcut kinds');
  assert.ok(blocks.some((b) => b.layers.length === 5 && b.layers.some((l) => l.op === 'batchNorm')), 'a basic block with batch norm');
  assert.ok(blocks.some((b) => b.layers.length === 3 && b.kind === 'residual'), 'a basic block without batch norm');
  assert.ok(blocks.some((b) => b.layers.length === 4 && b.kind === 'residual' && !b.layers.some((l) => l.op === 'batchNorm')), 'a bottleneck block');
  assert.ok(layers.some((l) => l.op === 'conv2d' && l.inputShape[0]! > l.outputShape[0]!), 'a strided conv');
  const dropoutInputs = layers.filter((l) => l.op === 'dropout' && !l.detail.startsWith('keep 1 ')).map((l) => l.inputShape.length);
  assert.ok(dropoutInputs.includes(3) && dropoutInputs.includes(1), `dropout on a feature map and on a vector: ${dropoutInputs.join()}`);
});

for (const seed of SEEDS) for (const source of GRADIENT_SOURCES) {
  test(`network ${seed}, ${source} gradients: the graph engine's loss, gradients, Adam update and running statistics match tfjs autodiff`, () => {
    const arch = randomArchitecture(seed);
    const setup: ModelSetup = { arch, init: 'he', seed: 7, adam: ADAM };
    const graph = new GraphStepEngine(setup, source);
    const oracle = new ResNetModel(arch, 'he', 7, portableLayerOps);
    const eager = new EagerStepEngine(setup);
    const { images, labels } = batchOf(arch, seed);
    try {
      const names = oracle.specs.map((s) => s.name);
      const initial = graph.model.parameters.readAll();
      initial.forEach((value, i) => assert.equal(relativeError(value, oracle.parameters.read(i)), 0, `initial ${names[i]}`));

      const expected = oracleStep(oracle, images, labels);
      const gradients = graph.gradients(images, labels, DROPOUT_SEED);
      assert.deepEqual([...gradients.keys()], [...expected.gradients.keys()]);
      for (const [name, gradient] of gradients) {
        const error = relativeError(gradient, expected.gradients.get(name)!);
        assert.ok(error < 1e-3, `gradient of ${name}: relative error ${error}`);
      }

      const loss = graph.step(images, labels, DROPOUT_SEED).dataSync()[0]!;
      const oracleLoss = expected.loss.dataSync()[0]!;
      assert.ok(Number.isFinite(loss) && Math.abs(loss - oracleLoss) <= 1e-5 * Math.max(1, Math.abs(oracleLoss)), `loss ${loss} vs ${oracleLoss}`);
      const eagerLoss = eager.step(images, labels, DROPOUT_SEED).dataSync()[0]!;
      assert.ok(Math.abs(eagerLoss - oracleLoss) <= 1e-5 * Math.max(1, Math.abs(oracleLoss)), `eager loss ${eagerLoss} vs ${oracleLoss}`);

      const [after, eagerAfter, moments] = [graph.model.parameters.readAll(), eager.model.parameters.readAll(), graph.m.readAll()];
      oracle.specs.forEach((spec, i) => {
        if (isTrainedByAdam(spec.role)) {
          const update = adamFirstUpdate(expected.weights[i]!, expected.gradients.get(spec.name)!);
          assertSameUpdate(`graph ${spec.name}`, after[i]!, update.p);
          assertSameUpdate(`eager ${spec.name}`, eagerAfter[i]!, update.p);
          assert.ok(relativeError(moments[i]!, update.m) < 2e-3, `m of ${spec.name}`);
          tf.dispose([update.p, update.m]);
        } else {
          const state = expected.stateUpdates.get(spec.name);
          assert.ok(state, `the oracle updates ${spec.name}`);
          assert.ok(relativeError(after[i]!, state) < 1e-4, `graph ${spec.name}: ${relativeError(after[i]!, state)}`);
          assert.ok(relativeError(eagerAfter[i]!, state) < 1e-4, `eager ${spec.name}`);
          assert.equal(tf.tidy(() => tf.max(tf.abs(moments[i]!)).dataSync()[0]), 0, `Adam leaves ${spec.name} alone`);
        }
      });

      // Inference (dropout off, batch norm on running statistics) with the updated weights.
      after.forEach((value, i) => oracle.parameters.assign(i, value));
      tf.tidy(() => {
        const error = relativeError(graph.logits(images), oracle.forward(images, { training: false }));
        assert.ok(error < 1e-4, `inference logits: ${error}`);
      });
      tf.dispose([...initial, ...after, ...eagerAfter, ...moments, ...expected.weights, expected.loss, ...expected.gradients.values(), ...expected.stateUpdates.values(), ...gradients.values()]);
    } finally {
      tf.dispose([images, labels]);
      graph.dispose();
      eager.dispose();
      oracle.dispose();
    }
  });
}
