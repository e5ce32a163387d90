// A run's generated name: its preset and each learning-relevant field that differs from it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generatedRunName } from '../../shared/runName';
import { resolveConfig } from '../../shared/trainingConfig';

test('a preset run is named by its preset alone', () => {
  assert.equal(generatedRunName(resolveConfig('seed')), 'seed');
});

test('the learning-rate levers that differ from the preset are named, in the config\'s order', () => {
  const config = resolveConfig('seed', { learningRate: 3e-4, lrSchedule: 'cosine', warmupSteps: 100, lrFloor: 0.05, denseLrScale: 0.1, adamEpsilon: 1e-6, batchSize: 32 });
  assert.equal(generatedRunName(config), 'seed · lr 3e-4 · cosine · warm-up 100 · floor 0.05 · dense lr ×0.1 · ε 1e-6 · batch 32');
});

test('label smoothing that differs from the preset is named', () => {
  assert.equal(generatedRunName(resolveConfig('default', { labelSmoothing: 0 })), 'default · smoothing 0');
  assert.equal(generatedRunName(resolveConfig('seed', { labelSmoothing: 0.1 })), 'seed · smoothing 0.1');
});

test('fields that do not change what is learned are left out of the name', () => {
  assert.equal(generatedRunName(resolveConfig('seed', { logEvery: 7, evalEvery: 3, checkpointEvery: 0 })), 'seed');
});
