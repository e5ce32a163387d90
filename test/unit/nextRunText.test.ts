// The idle panel's words: that no run is going and what Train would start, from the settings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idleText, runSummary, trainWillDo } from '../../shared/nextRunText';
import { PRESETS, resolveConfig } from '../../shared/trainingConfig';

test('the default preset: no run is going, and Train starts 1,719 steps at batch 32 with its schedule', () => {
  assert.equal(idleText({ ok: true, config: PRESETS.default }),
    'No training run is going. Train starts a new run: default preset, 1,719 steps at batch 32, He initialisation, learning rate 0.002, 100 warm-up steps, cosine to 0, dense ×0.1.');
});

test('the seed preset and overridden settings are named as they are', () => {
  assert.equal(runSummary(PRESETS.seed), 'seed preset, 2,000 steps at batch 10, the seed’s σ 0.1 initialisation, learning rate 0.001');
  const config = resolveConfig('default', { steps: 1, batchSize: 16, learningRate: 0.0003, backend: 'tensorflow-gpu', dataDir: '/data/mnist' });
  assert.equal(runSummary(config), 'default preset, 1 step at batch 16, He initialisation, learning rate 0.0003, 100 warm-up steps, cosine to 0, dense ×0.1, on tensorflow-gpu, MNIST from /data/mnist');
});

test('a learning-rate schedule is described with its warm-up, decay and dense scale', () => {
  const config = resolveConfig('seed', { learningRate: 0.003, lrSchedule: 'cosine', warmupSteps: 50, lrFloor: 0.1, denseLrScale: 0.5 });
  assert.equal(runSummary(config), 'seed preset, 2,000 steps at batch 10, the seed’s σ 0.1 initialisation, learning rate 0.003, 50 warm-up steps, cosine to 0.1×, dense ×0.5');
});

test('invalid settings: Train says it cannot start and lists each problem', () => {
  assert.equal(trainWillDo({ ok: false, problems: ['resnetLab.steps: steps must be a number (got "abc")'] }),
    'Train cannot start until this setting is fixed: resnetLab.steps: steps must be a number (got "abc").');
  assert.match(idleText({ ok: false, problems: ['a', 'b'] }), /^No training run is going\. Train cannot start until these 2 settings are fixed: a; b\.$/);
});
