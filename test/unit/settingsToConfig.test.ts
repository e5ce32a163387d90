// Settings → config: unset values take the preset's, invalid ones are named, never used.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PRESETS } from '../../shared/trainingConfig';
import { configFromSettings, listSettingProblems } from '../../src/session/settingsToConfig';
import { tempDir } from '../support/paths';

test('no settings give the default preset', () => {
  const result = configFromSettings({});
  assert.ok(result.ok);
  assert.deepEqual(result.config, PRESETS.default);
});

test('null and empty settings take the preset values; set ones override them', () => {
  const dir = tempDir('data');
  const result = configFromSettings({ preset: 'seed', steps: 300, batchSize: null, learningRate: 0.0005, dataFolder: dir, backend: 'tensorflow' });
  assert.ok(result.ok);
  assert.equal(result.config.preset, 'seed');
  assert.equal(result.config.steps, 300);
  assert.equal(result.config.batchSize, 10);
  assert.equal(result.config.learningRate, 0.0005);
  assert.equal(result.config.dataDir, dir);
});

test('each invalid setting is explained with its setting name', () => {
  const result = configFromSettings({ preset: 'turbo', steps: -5, batchSize: 2.5, learningRate: 'fast', backend: 'cpu', seed: -1, dataFolder: '/no/such/folder' });
  assert.ok(!result.ok);
  assert.deepEqual(result.problems.map((p) => p.key), ['preset', 'backend', 'steps', 'batchSize', 'learningRate', 'seed', 'dataFolder']);
  assert.deepEqual(listSettingProblems(result.problems).split('\n'), [
    'resnetLab.preset must be one of default, seed (got "turbo")',
    'resnetLab.backend: backend must be one of tensorflow, tensorflow-gpu (got "cpu")',
    'resnetLab.steps: steps must be at least 1 and at most 10000000 (got -5)',
    'resnetLab.batchSize: batchSize must be a whole number (got 2.5)',
    'resnetLab.learningRate: learningRate must be a number (got "fast")',
    'resnetLab.seed: seed must be at least 0 and at most 2147483647 (got -1)',
    'resnetLab.dataFolder: "/no/such/folder" is not a folder (leave it empty to use the embedded MNIST)',
  ]);
});

test('a wrong-type value in any setting is named with its key, one problem per line', () => {
  const result = configFromSettings({ steps: 'abc', batchSize: true, learningRate: [0.1], evalEvery: { every: 5 }, logEvery: '20', checkpointEvery: 'never', seed: '1', backend: 7, dataFolder: 42 });
  assert.ok(!result.ok);
  assert.deepEqual(result.problems.map((p) => p.key), ['backend', 'steps', 'batchSize', 'learningRate', 'evalEvery', 'logEvery', 'checkpointEvery', 'seed', 'dataFolder']);
  const lines = listSettingProblems(result.problems).split('\n');
  assert.equal(lines.length, 9);
  assert.equal(lines[1], 'resnetLab.steps: steps must be a number (got "abc")');
  for (const [i, problem] of result.problems.entries()) assert.ok(lines[i]!.startsWith(`resnetLab.${problem.key}`), lines[i]);
});

test('the learning-rate settings override the preset; each bad one is named with its setting', () => {
  const result = configFromSettings({ lrSchedule: 'cosine', warmupSteps: 100, lrFloor: null, denseLrScale: 0.1, adamEpsilon: 1e-6, keepProb: 1 });
  assert.ok(result.ok);
  assert.deepEqual(result.config, { ...PRESETS.default, lrSchedule: 'cosine', warmupSteps: 100, denseLrScale: 0.1, adamEpsilon: 1e-6, keepProb: 1 });
  const bad = configFromSettings({ lrSchedule: 'linear', warmupSteps: 1.5, lrFloor: 2, denseLrScale: 0, adamEpsilon: 'tiny', keepProb: 0 });
  assert.ok(!bad.ok);
  assert.deepEqual(listSettingProblems(bad.problems).split('\n'), [
    'resnetLab.lrSchedule: lrSchedule must be one of constant, cosine (got "linear")',
    'resnetLab.warmupSteps: warmupSteps must be a whole number (got 1.5)',
    'resnetLab.lrFloor: lrFloor must be at least 0 and at most 1 (got 2)',
    'resnetLab.denseLrScale: denseLrScale must be greater than 0 and at most 100 (got 0)',
    'resnetLab.adamEpsilon: adamEpsilon must be a number (got "tiny")',
    'resnetLab.keepProb: keepProb must be greater than 0 and at most 1 (got 0)',
  ]);
});
