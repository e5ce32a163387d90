// Presets, overrides and the validation every front end shares: exact values in, and one
// sentence naming the field for every bad value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkField, ConfigError, PRESETS, resolveConfig, validateConfig,
  type ConfigOverrides, type PresetName, type TrainingConfig,
} from '../../shared/trainingConfig';

function assertConfigError(run: () => unknown, expectedProblems: string[]): void {
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    assert.equal(err.name, 'ConfigError');
    assert.deepEqual(err.problems, expectedProblems);
    assert.equal(err.message, `Invalid training configuration: ${expectedProblems.join('; ')}`);
    return true;
  });
}

/** For problems whose exact words are not pinned: the single problem must name the field. */
function assertSingleProblemAbout(run: () => unknown, field: string, fragment: string): void {
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    assert.equal(err.problems.length, 1, err.problems.join('; '));
    const problem = err.problems[0]!;
    assert.ok(problem.startsWith(`${field} `), `"${problem}" does not name ${field}`);
    assert.ok(problem.includes(fragment), `"${problem}" lacks "${fragment}"`);
    return true;
  });
}

test('the seed preset is the tutorial exactly', () => {
  const seed = PRESETS.seed;
  assert.equal(seed.preset, 'seed');
  assert.equal(seed.init, 'seed');
  assert.equal(seed.steps, 2000);
  assert.equal(seed.batchSize, 10);
  assert.equal(seed.learningRate, 1e-3);
  // The tutorial's Adam: one constant rate for every layer, TensorFlow's ε.
  assert.equal(seed.lrSchedule, 'constant');
  assert.equal(seed.warmupSteps, 0);
  assert.equal(seed.denseLrScale, 1);
  assert.equal(seed.adamEpsilon, 1e-8);
  assert.equal(seed.keepProb, 0.5);
  assert.equal(seed.labelSmoothing, 0, 'the tutorial trains on the one-hot labels');
  assert.equal(seed.logEvery, 100);
  assert.equal(seed.seed, 1);
  assert.equal(seed.backend, 'tensorflow');
  assert.equal(seed.dataDir, '');
  // 20,000 images: about 0.36 of an epoch of 55,000.
  assert.equal(seed.steps * seed.batchSize, 20_000);
  assert.equal(((seed.steps * seed.batchSize) / 55_000).toFixed(2), '0.36');
});

test('the default preset keeps the architecture and trains it with the recipe for one epoch at batch 32', () => {
  const def = PRESETS.default;
  assert.equal(def.preset, 'default');
  assert.equal(def.init, 'he');
  assert.equal(def.steps, 1719);
  assert.equal(def.batchSize, 32);
  // The recipe (README, "A recipe that trains"): warm-up + cosine, dense layers slower and smaller at init, no dropout.
  assert.equal(def.learningRate, 2e-3);
  assert.equal(def.lrSchedule, 'cosine');
  assert.equal(def.warmupSteps, 100);
  assert.equal(def.lrFloor, 0);
  assert.equal(def.denseLrScale, 0.1);
  assert.equal(def.denseInitScale, 0.1);
  assert.equal(def.adamEpsilon, 1e-8);
  assert.equal(def.keepProb, 1);
  assert.equal(def.labelSmoothing, 0.1);
  assert.equal(def.seed, 1);
  assert.equal(def.backend, 'tensorflow');
  assert.equal(def.dataDir, '');
  // One epoch of the 55,000 training images (the last batch wraps a little).
  assert.equal(def.steps * def.batchSize, 55_008);
});

test('both presets are valid', () => {
  assert.deepEqual(validateConfig({ ...PRESETS.seed }), []);
  assert.deepEqual(validateConfig({ ...PRESETS.default }), []);
});

test('resolveConfig without overrides returns a copy of the preset', () => {
  for (const name of ['seed', 'default'] as PresetName[]) {
    const config = resolveConfig(name);
    assert.deepEqual(config, PRESETS[name]);
    assert.notEqual(config, PRESETS[name]);
    config.steps = 1;
    assert.notEqual(PRESETS[name].steps, 1, 'mutating a resolved config must not change the preset');
  }
});

test('every preset value can be overridden, including init', () => {
  const overrides: Required<ConfigOverrides> = {
    init: 'seed', denseInitScale: 0.5, steps: 5, batchSize: 2, learningRate: 0.01, lrSchedule: 'cosine', warmupSteps: 3, lrFloor: 0.05,
    denseLrScale: 0.1, adamEpsilon: 1e-6, keepProb: 1, labelSmoothing: 0.2, logEvery: 1, evalEvery: 0,
    checkpointEvery: 0, seed: 0, backend: 'cpu', dataDir: '/data/mnist',
  };
  const expected: TrainingConfig = { preset: 'default', ...overrides };
  assert.deepEqual(resolveConfig('default', overrides), expected);
});

test('the seed preset with He init changes nothing else', () => {
  assert.deepEqual(resolveConfig('seed', { init: 'he' }), { ...PRESETS.seed, init: 'he' });
  assert.deepEqual(resolveConfig('default', { init: 'seed' }), { ...PRESETS.default, init: 'seed' });
});

test('undefined overrides are ignored', () => {
  const overrides: ConfigOverrides = { steps: undefined, init: undefined, backend: undefined, batchSize: 16 };
  assert.deepEqual(resolveConfig('seed', overrides), { ...PRESETS.seed, batchSize: 16 });
});

test('an override cannot change the preset name', () => {
  const smuggled = { preset: 'seed', steps: 7 } as unknown as ConfigOverrides;
  const config = resolveConfig('default', smuggled);
  assert.equal(config.preset, 'default');
  assert.equal(config.steps, 7);
  assert.equal(config.init, 'he');
});

test('steps 0 is rejected naming steps', () => {
  assertConfigError(() => resolveConfig('default', { steps: 0 }), ['steps must be at least 1 and at most 10000000 (got 0)']);
});

test('steps 1.5 is rejected as not a whole number', () => {
  assertConfigError(() => resolveConfig('default', { steps: 1.5 }), ['steps must be a whole number (got 1.5)']);
});

test('batchSize -1 is rejected naming batchSize', () => {
  assertConfigError(() => resolveConfig('default', { batchSize: -1 }), ['batchSize must be at least 1 and at most 4096 (got -1)']);
});

test('learningRate 0 is rejected: it must be greater than 0', () => {
  assertConfigError(() => resolveConfig('default', { learningRate: 0 }), ['learningRate must be greater than 0 and at most 10 (got 0)']);
});

test('learningRate NaN is rejected as not a number', () => {
  assertSingleProblemAbout(() => resolveConfig('default', { learningRate: Number.NaN }), 'learningRate', 'must be a number (got NaN)');
});

test('keepProb 0 and keepProb 1.5 are rejected; keepProb 1 is allowed', () => {
  assertConfigError(() => resolveConfig('default', { keepProb: 0 }), ['keepProb must be greater than 0 and at most 1 (got 0)']);
  assertConfigError(() => resolveConfig('default', { keepProb: 1.5 }), ['keepProb must be greater than 0 and at most 1 (got 1.5)']);
  assert.equal(resolveConfig('default', { keepProb: 1 }).keepProb, 1);
});

test('seed -1 is rejected naming seed', () => {
  assertConfigError(() => resolveConfig('default', { seed: -1 }), ['seed must be at least 0 and at most 2147483647 (got -1)']);
});

test('backend "tpu" is rejected listing the backends', () => {
  const overrides = { backend: 'tpu' } as unknown as ConfigOverrides;
  assertConfigError(() => resolveConfig('default', overrides), ['backend must be one of tensorflow, tensorflow-gpu, cpu (got "tpu")']);
});

test('init "xavier" is rejected listing the schemes', () => {
  const overrides = { init: 'xavier' } as unknown as ConfigOverrides;
  assertConfigError(() => resolveConfig('seed', overrides), ['init must be one of seed, he (got "xavier")']);
});

test('preset "fast" is rejected listing the presets', () => {
  assertConfigError(() => resolveConfig('fast' as PresetName), ['preset must be one of default, seed (got "fast")']);
});

test('a number given as a string is rejected', () => {
  const overrides = { steps: '5' } as unknown as ConfigOverrides;
  assertConfigError(() => resolveConfig('default', overrides), ['steps must be a number (got "5")']);
});

test('every bad value is named at once', () => {
  assertConfigError(() => resolveConfig('default', { steps: 0, keepProb: 2 }), [
    'steps must be at least 1 and at most 10000000 (got 0)',
    'keepProb must be greater than 0 and at most 1 (got 2)',
  ]);
});

test('validateConfig reports a missing field', () => {
  const config: Record<string, unknown> = { ...PRESETS.default };
  delete config.steps;
  assert.deepEqual(validateConfig(config), ['steps is missing']);
});

test('validateConfig reports an unknown extra field', () => {
  assert.deepEqual(validateConfig({ ...PRESETS.default, stepz: 3 }), ['unknown setting "stepz"']);
});

test('validateConfig reports missing, bad and unknown fields together', () => {
  const config: Record<string, unknown> = { ...PRESETS.seed, batchSize: 0, turbo: true };
  delete config.init;
  assert.deepEqual(validateConfig(config), [
    'init is missing',
    'batchSize must be at least 1 and at most 4096 (got 0)',
    'unknown setting "turbo"',
  ]);
});

test('checkField returns null for every preset value', () => {
  for (const preset of [PRESETS.seed, PRESETS.default]) {
    for (const [field, value] of Object.entries(preset)) {
      assert.equal(checkField(field as keyof TrainingConfig, value), null, `${field}=${String(value)}`);
    }
  }
});

test('checkField accepts the boundary values', () => {
  assert.equal(checkField('steps', 1), null);
  assert.equal(checkField('steps', 10_000_000), null);
  assert.equal(checkField('batchSize', 1), null);
  assert.equal(checkField('batchSize', 4096), null);
  assert.equal(checkField('learningRate', 10), null);
  assert.equal(checkField('learningRate', 1e-9), null);
  assert.equal(checkField('keepProb', 1), null);
  assert.equal(checkField('evalEvery', 0), null);
  assert.equal(checkField('checkpointEvery', 0), null);
  assert.equal(checkField('seed', 0), null);
  assert.equal(checkField('seed', 2 ** 31 - 1), null);
  assert.equal(checkField('dataDir', 'x'.repeat(4096)), null);
  assert.equal(checkField('backend', 'tensorflow-gpu'), null);
  assert.equal(checkField('init', 'he'), null);
  assert.equal(checkField('preset', 'seed'), null);
  assert.equal(checkField('warmupSteps', 0), null);
  assert.equal(checkField('lrFloor', 0), null);
  assert.equal(checkField('lrFloor', 1), null);
  assert.equal(checkField('denseLrScale', 100), null);
  assert.equal(checkField('adamEpsilon', 1), null);
  assert.equal(checkField('labelSmoothing', 0), null);
  assert.equal(checkField('labelSmoothing', 0.999), null);
  assert.equal(checkField('lrSchedule', 'cosine'), null);
});

test('checkField rejects the values just past the boundaries', () => {
  assert.equal(checkField('batchSize', 4097), 'batchSize must be at least 1 and at most 4096 (got 4097)');
  assert.equal(checkField('learningRate', 10.5), 'learningRate must be greater than 0 and at most 10 (got 10.5)');
  assert.equal(checkField('seed', 2 ** 31), 'seed must be at least 0 and at most 2147483647 (got 2147483648)');
  assert.equal(checkField('logEvery', 0), 'logEvery must be at least 1 and at most 10000000 (got 0)');
  assert.equal(checkField('evalEvery', -1), 'evalEvery must be at least 0 and at most 10000000 (got -1)');
  assert.equal(checkField('dataDir', 'x'.repeat(4097)), 'dataDir must be a folder path');
  assert.equal(checkField('denseInitScale', 0), 'denseInitScale must be greater than 0 and at most 10 (got 0)');
  assert.equal(checkField('warmupSteps', -1), 'warmupSteps must be at least 0 and at most 10000000 (got -1)');
  assert.equal(checkField('warmupSteps', 2.5), 'warmupSteps must be a whole number (got 2.5)');
  assert.equal(checkField('lrFloor', 1.01), 'lrFloor must be at least 0 and at most 1 (got 1.01)');
  assert.equal(checkField('lrFloor', -0.1), 'lrFloor must be at least 0 and at most 1 (got -0.1)');
  assert.equal(checkField('denseLrScale', 0), 'denseLrScale must be greater than 0 and at most 100 (got 0)');
  assert.equal(checkField('denseLrScale', 101), 'denseLrScale must be greater than 0 and at most 100 (got 101)');
  assert.equal(checkField('adamEpsilon', 0), 'adamEpsilon must be greater than 0 and at most 1 (got 0)');
  assert.equal(checkField('adamEpsilon', Number.NaN), 'adamEpsilon must be a number (got NaN)');
  // ε = 1 would make every target uniform: nothing left to learn.
  assert.equal(checkField('labelSmoothing', 1), 'labelSmoothing must be at least 0 and less than 1 (got 1)');
  assert.equal(checkField('labelSmoothing', -0.01), 'labelSmoothing must be at least 0 and less than 1 (got -0.01)');
  assert.equal(checkField('lrSchedule', 'linear'), 'lrSchedule must be one of constant, cosine (got "linear")');
  assert.equal(checkField('lrSchedule', undefined), 'lrSchedule must be one of constant, cosine (got undefined)');
  assert.equal(checkField('dataDir', 5), 'dataDir must be a folder path');
});

test('no TensorFlow module was loaded by these pure modules', () => {
  assert.deepEqual(Object.keys(require.cache).filter((k) => k.includes('@tensorflow')), []);
});
