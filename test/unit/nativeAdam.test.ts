// TensorFlow's fused ResourceApplyAdam, on resource variables, does what the portable tfjs Adam
// does on tfjs Variables; and training on the native backend really goes through it.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { seedResNetArchitecture } from '../../shared/architecture';
import { resolveConfig } from '../../shared/trainingConfig';
import { loadBackend } from '../../trainer/backend/loadBackend';
import { nativeBackend, type NativeBackend } from '../../trainer/model/nativeBackend';
import { createParameterStore, readStoredData, type StoredTensors } from '../../trainer/model/parameterStore';
import { parameterSpecs } from '../../trainer/model/parameterSpecs';
import { ResourceParameterStore } from '../../trainer/model/resourceParameterStore';
import { readResourceVariable } from '../../trainer/model/resourceVariables';
import { VariableParameterStore } from '../../trainer/model/variableParameterStore';
import { createAdam } from '../../trainer/train/adam';
import { AdamOptimizer } from '../../trainer/train/adamOptimizer';
import { constantRateAdam } from '../../trainer/train/adamSettings';
import { NativeAdamOptimizer } from '../../trainer/train/nativeAdamOptimizer';
import { PausableRunControl } from '../../trainer/runControl';
import { TrainingRun } from '../../trainer/train/trainingRun';
import { smallMnist } from '../support/smallMnist';
import { quiet } from '../support/quietSink';

before(async () => { await loadBackend('tensorflow'); });

const NAMES = ['conv/kernel', 'conv/bias', 'fc/kernel'];
const SHAPES = [[3, 3, 4, 8], [8], [300, 70]];
const SETTINGS = constantRateAdam(0.01);
// The fused kernel takes its hyper-parameters as float32 and forms 1 − β2 from float32 β2, which
// is 1.3e-5 (relatively) off 0.001; the portable path forms it in float64. Values that float32
// holds exactly remove that difference of constants, leaving only the implementations to compare.
const EXACT_SETTINGS = {
  ...constantRateAdam(Math.fround(0.01)), beta1: Math.fround(SETTINGS.beta1),
  beta2: Math.fround(SETTINGS.beta2), epsilon: Math.fround(SETTINGS.epsilon),
};

const initialValues = () => SHAPES.map((shape, i) => tf.randomNormal(shape, 0, 0.05, 'float32', 100 + i));

/** max |a − b| / max |b|: relative to the tensor's scale, so entries near zero do not dominate. */
function relativeDifference(a: Float32Array, b: Float32Array): number {
  let difference = 0;
  let scale = 0;
  b.forEach((x, i) => {
    difference = Math.max(difference, Math.abs(a[i]! - x));
    scale = Math.max(scale, Math.abs(x));
  });
  return difference / scale;
}

/** Compares stored tensors, optionally as the change from `start` (an update, not the value it was added to). */
function assertClose(native: StoredTensors, portable: StoredTensors, what: string, start?: readonly Float32Array[]): void {
  native.names.forEach((name, i) => {
    const change = (values: Float32Array) => (start ? values.map((x, j) => x - start[i]![j]!) : values);
    const difference = relativeDifference(change(readStoredData(native, i)), change(readStoredData(portable, i)));
    assert.ok(difference < 1e-5, `${what} ${name} differs by ${difference}`);
  });
}

// Warm-up, cosine and a dense rate an eighth of the convolutions' (a power of two, exact in float32).
const SCHEDULED_SETTINGS = {
  ...EXACT_SETTINGS,
  schedule: { learningRate: Math.fround(0.01), lrSchedule: 'cosine', warmupSteps: 2, lrFloor: 0.1, denseLrScale: 0.125, steps: 5 } as const,
  denseParameters: new Set(['fc/kernel']),
};

for (const [what, settings] of [['one constant rate', EXACT_SETTINGS], ['warm-up, cosine decay and a dense rate', SCHEDULED_SETTINGS]] as const) test(`the native Adam update equals the portable one over several steps: parameters, m and v (${what})`, () => {
  const native = new ResourceParameterStore(NAMES, initialValues());
  const portable = new VariableParameterStore(NAMES, initialValues());
  const start = NAMES.map((_, i) => readStoredData(portable, i));
  const nativeAdam = new NativeAdamOptimizer(native, settings);
  const portableAdam = new AdamOptimizer(portable, settings);
  for (let step = 0; step < 5; step++) {
    const gradients = SHAPES.map((shape, i) => tf.randomNormal(shape, 0, 1 + step, 'float32', 1000 * step + i));
    nativeAdam.apply(gradients);
    portableAdam.apply(gradients);
    tf.dispose(gradients);
  }
  assert.equal(nativeAdam.iteration, 5);
  // The whole update is a few hundredths; comparing it, not θ, is the stricter test.
  assertClose(native, portable, 'parameter update', start);
  assertClose(nativeAdam.m, portableAdam.m, 'm');
  assertClose(nativeAdam.v, portableAdam.v, 'v');
  // And the parameters really moved: about lr 0.01 (or its warm-up and decay) over 5 steps.
  assert.ok(relativeDifference(readStoredData(native, 0), start[0]!) > 1e-2);
  for (const d of [nativeAdam, portableAdam, native, portable]) d.dispose();
});

test('each parameter group moves by its own scheduled rate: the first update of a constant gradient is about −lr', () => {
  for (const [label, makeStore, makeAdam] of [
    ['native', (v: tf.Tensor[]) => new ResourceParameterStore(NAMES, v), (st: never) => new NativeAdamOptimizer(st, SCHEDULED_SETTINGS)],
    ['portable', (v: tf.Tensor[]) => new VariableParameterStore(NAMES, v), (st: never) => new AdamOptimizer(st, SCHEDULED_SETTINGS)],
  ] as const) {
    const store = makeStore(SHAPES.map((shape) => tf.zeros(shape)));
    const adam = makeAdam(store as never);
    const gradients = SHAPES.map((shape) => tf.ones(shape));
    adam.apply(gradients);
    tf.dispose(gradients);
    // Update 1 of a 2-step warm-up: half the peak, 0.005; fc at an eighth of it. Adam's first step
    // is lr·sqrt(1−β2)/(1−β1)·m/(sqrt(v)+ε) = lr·(1 − 3.2e-7) for a constant gradient.
    const [conv, , fc] = [0, 1, 2].map((i) => readStoredData(store, i)[0]!);
    assert.ok(Math.abs(conv! + 0.005) < 1e-8, `${label}: conv moved by ${conv}`);
    assert.ok(Math.abs(fc! + 0.000625) < 1e-9, `${label}: fc moved by ${fc}`);
    adam.dispose();
    store.dispose();
  }
});

test('an update leaves earlier reads alone, creates no tfjs tensors, and dispose frees the variables', () => {
  const store = new ResourceParameterStore(NAMES, initialValues());
  const adam = new NativeAdamOptimizer(store, SETTINGS);
  const gradients = SHAPES.map((shape) => tf.ones(shape));
  const before = store.read(0);
  const beforeValues = before.dataSync().slice();
  const tensors = tf.memory().numTensors;
  adam.apply(gradients);
  assert.equal(tf.memory().numTensors, tensors);
  assert.deepEqual(before.dataSync(), beforeValues, 'TensorFlow copies a buffer that a read still shares');
  assert.notDeepEqual(readStoredData(store, 0), beforeValues);
  tf.dispose([before, ...gradients]);
  // A second reference to the handle outlives dispose, to ask TensorFlow whether the variable is gone.
  const handle = tf.clone(store.handle(0));
  adam.dispose();
  store.dispose();
  assert.throws(() => readResourceVariable(handle), /Could not find variable/);
  handle.dispose();
});

test('on the tensorflow backend the eager engine keeps parameters in resource variables and runs ResourceApplyAdam', async () => {
  const store = createParameterStore(NAMES, initialValues());
  assert.equal(store.kind, 'resources');
  const adam = createAdam(store, SETTINGS);
  assert.ok(adam instanceof NativeAdamOptimizer);
  adam.dispose();
  store.dispose();

  // Count the native ops one real training step runs.
  const backend: NativeBackend = nativeBackend();
  const original = backend.executeMultipleOutputs;
  const ops = new Map<string, number>();
  backend.executeMultipleOutputs = function (name, attrs, inputs, numOutputs) {
    ops.set(name, (ops.get(name) ?? 0) + 1);
    return original.call(this, name, attrs, inputs, numOutputs);
  };
  try {
    const config = resolveConfig('default', { steps: 1, batchSize: 2, evalEvery: 0, checkpointEvery: 0, logEvery: 1 });
    const run = new TrainingRun({ config, dataset: await smallMnist(), backend: 'tensorflow', resume: false, execution: 'eager' });
    const applyCountBefore = ops.get('ResourceApplyAdam') ?? 0;
    await run.run(new PausableRunControl(), quiet);
    run.dispose();
    const parameterTensors = parameterSpecs(seedResNetArchitecture()).length;
    assert.equal((ops.get('ResourceApplyAdam') ?? 0) - applyCountBefore, parameterTensors, 'one fused update per parameter tensor');
  } finally {
    backend.executeMultipleOutputs = original;
  }
});
