// The comparison: what differs between runs, curves thinned and aligned, runs read from the
// store (a deleted one left out), and the webview's guard on the comparison message, fuzzed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compareRuns } from '../../runStore/compareRuns';
import { RunStore } from '../../runStore/runStore';
import { seedResNetArchitecture } from '../../shared/architecture';
import { comparedCurves, differingFields, MAX_COMPARED_POINTS } from '../../shared/runComparison';
import { generatedRunName } from '../../shared/runName';
import { trainCommandFor } from '../../shared/cliFlags';
import { resolveConfig } from '../../shared/trainingConfig';
import type { ProgressReport } from '../../shared/trainingReports';
import { comparisonMessageShape } from '../../shared/webviewProtocol';
import { parseCliArgs } from '../../trainer/cli/parseCliArgs';
import { fuzzParameters, garbage, HOST_TO_WEBVIEW_COMPARISON_TYPES, mutated, validComparisonMessage } from '../support/messageArbitraries';
import { tempDir } from '../support/paths';

const progress = (step: number, loss = 1): ProgressReport => ({ step, totalSteps: 100, epoch: 0, loss, batchAccuracy: 0.5, imagesPerSec: 100, etaSec: 1, elapsedSec: 1 });

test('differing fields are those not equal in every run', () => {
  const a = resolveConfig('default', { learningRate: 3e-4 });
  const b = resolveConfig('default', { learningRate: 1e-3, batchSize: 128 });
  assert.deepEqual(differingFields([a, b]), ['batchSize', 'learningRate']);
  assert.deepEqual(differingFields([a]), []);
  assert.deepEqual(differingFields([a, resolveConfig('seed')]), ['preset', 'init', 'denseInitScale', 'steps', 'batchSize', 'learningRate', 'lrSchedule', 'warmupSteps', 'denseLrScale', 'keepProb', 'labelSmoothing', 'logEvery', 'evalEvery', 'checkpointEvery']);
});

test('a run is named from what differs from its preset; the CLI command reproduces its config exactly', () => {
  assert.equal(generatedRunName(resolveConfig('default')), 'default');
  assert.equal(generatedRunName(resolveConfig('default', { learningRate: 3e-4, batchSize: 128 })), 'default · lr 3e-4 · batch 128');
  assert.equal(generatedRunName(resolveConfig('seed', { init: 'he', steps: 40, keepProb: 0.75, dataDir: '/data/mnist/' })), 'seed · 40 steps · init he · keep 0.75 · data mnist');
  const config = resolveConfig('default', { learningRate: 0.0003, batchSize: 16, steps: 40, evalEvery: 20, logEvery: 5, checkpointEvery: 0, seed: 3, dataDir: "/it's here" });
  const command = trainCommandFor(config);
  assert.equal(command, "npm run train -- --preset default --steps 40 --batch-size 16 --learning-rate 0.0003 --log-every 5 --eval-every 20 --checkpoint-every 0 --seed 3 --data-dir '/it'\\''s here'");
  // The flags after `--`, as a shell would split them, parse back to the same config.
  const words = ['--preset', 'default', '--steps', '40', '--batch-size', '16', '--learning-rate', '0.0003', '--log-every', '5', '--eval-every', '20', '--checkpoint-every', '0', '--seed', '3', '--data-dir', "/it's here"];
  assert.deepEqual(parseCliArgs(words).config, config);
  assert.equal(trainCommandFor(resolveConfig('seed')), 'npm run train -- --preset seed');
});

test('long curves are thinned to the limit, keeping the first and latest points; non-finite values become gaps', () => {
  const points = Array.from({ length: 5000 }, (_, i) => progress(i + 1, i === 10 ? Number.NaN : 1));
  const curves = comparedCurves(points, [{ step: 5000, split: 'validation', accuracy: 0.9, loss: 0.1, examples: 5000, predictedClassCounts: [] }, { step: 5000, split: 'test', accuracy: 0.8, loss: 0.1, examples: 10000, predictedClassCounts: [] }]);
  assert.ok(curves.steps.length <= MAX_COMPARED_POINTS);
  assert.equal(curves.steps[0], 1);
  assert.equal(curves.steps.at(-1), 5000);
  assert.equal(curves.loss.length, curves.steps.length);
  assert.deepEqual(curves.validationSteps, [5000]);
  assert.deepEqual(curves.validationAccuracy, [0.9]);
  assert.equal(comparedCurves([progress(1, Number.POSITIVE_INFINITY)], []).loss[0], null);
});

test('runs are read from the store into a comparison; a deleted run is left out', () => {
  const store = new RunStore(tempDir('compare'));
  const slow = store.create(resolveConfig('default', { learningRate: 3e-4, steps: 40 }), seedResNetArchitecture(), 'extension');
  slow.began(0, 'x', 'graph');
  slow.progress(progress(20, 0.5));
  slow.evaluation({ step: 40, split: 'validation', accuracy: 0.91, loss: 0.3, examples: 5000, predictedClassCounts: [] });
  slow.ended('finished');
  const fast = store.create(resolveConfig('default', { learningRate: 3e-3, steps: 40 }), seedResNetArchitecture(), 'extension');
  fast.ended('stopped');
  const comparison = compareRuns([{ store, id: slow.id }, { store, id: fast.id }])!;
  assert.deepEqual(comparison.runs.map((r) => r.name), ['default · lr 3e-4 · 40 steps', 'default · lr 3e-3 · 40 steps']);
  assert.deepEqual(comparison.differing, ['learningRate']);
  assert.deepEqual(comparison.runs[0]!.steps, [20]);
  assert.deepEqual(comparison.runs[0]!.validationAccuracy, [0.91]);
  assert.equal(comparison.runs[0]!.metrics.bestValidationAccuracy, 0.91);
  assert.equal(comparisonMessageShape({ type: 'comparison', comparison: JSON.parse(JSON.stringify(comparison)) }, 'comparison'), null);
  store.delete(fast.id);
  assert.deepEqual(compareRuns([{ store, id: slow.id }, { store, id: fast.id }])!.runs.map((r) => r.id), [slow.id]);
  store.delete(slow.id);
  assert.equal(compareRuns([{ store, id: slow.id }]), null);
});

test('the webview\'s guard accepts every generated comparison message and refuses each with one thing broken, and garbage', () => {
  fc.assert(fc.property(validComparisonMessage, (message) => {
    assert.equal(comparisonMessageShape(JSON.parse(JSON.stringify(message)), 'comparison'), null);
  }), fuzzParameters(500));
  fc.assert(fc.property(mutated(validComparisonMessage), ({ message, what }) => {
    assert.notEqual(comparisonMessageShape(message, 'comparison'), null, `accepted with ${what}`);
  }), fuzzParameters(2000));
  fc.assert(fc.property(garbage(HOST_TO_WEBVIEW_COMPARISON_TYPES), (raw) => {
    assert.notEqual(comparisonMessageShape(raw, 'comparison'), null);
  }), fuzzParameters(1000));
  // Columns of unequal length cannot reach uPlot.
  const run = { id: 'r1', name: 'a', status: 'finished', elsewhere: false, config: resolveConfig('default'), metrics: { stepsDone: 0, bestValidationAccuracy: null, finalValidationAccuracy: null, testAccuracy: null, imagesPerSec: null, wallSec: null, peakRssMb: null, fc1DeadFraction: null }, steps: [1, 2], loss: [1], batchAccuracy: [0.5, 0.6], validationSteps: [], validationAccuracy: [] };
  assert.match(comparisonMessageShape({ type: 'comparison', comparison: { runs: [run], differing: [] } }, 'comparison')!, /columns as long as their steps/);
});
