// Reading activation and evaluation statistics the way an engineer would: the seed preset's
// collapse (saturated logits, dead ReLUs, one class for everything) is named; a healthy run is not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONFIDENTLY_WRONG_ERROR, DEAD_RELU_ERROR, DEAD_RELU_WARNING, diagnoseActivations, diagnoseEvaluation, SATURATED_LOGIT, type Finding,
} from '../../shared/activationDiagnosis';
import { seedResNetArchitecture } from '../../shared/architecture';
import type { ActivationReport, EvaluationReport, LayerActivationStats } from '../../shared/trainingReports';

const arch = seedResNetArchitecture();

/** One healthy row per layer the trainer observes, in the order it observes them (shortcut first). */
function healthyLayers(): LayerActivationStats[] {
  const rows: LayerActivationStats[] = [];
  for (const block of arch.blocks) {
    if (block.id === 'input') continue;
    const names = [...(block.shortcut?.kind === 'projection' ? [block.shortcut.layer.name] : []), ...block.layers.map((l) => l.name)];
    for (const layerName of names) {
      rows.push({ layerName, blockId: block.id, mean: 0.25, std: 0.6, maxAbs: 4, zeroFraction: 0.3, deadFraction: 0 });
    }
  }
  return rows;
}

function report(
  layerChanges: Record<string, Partial<LayerActivationStats>> = {},
  logits: Partial<ActivationReport['logits']> = {},
): ActivationReport {
  const layers = healthyLayers().map((l) => ({ ...l, ...layerChanges[l.layerName] }));
  for (const name of Object.keys(layerChanges)) {
    if (!layers.some((l) => l.layerName === name)) throw new Error(`fixture has no layer ${name}`);
  }
  return {
    step: 0,
    probeExamples: 256,
    layers,
    logits: { std: 3, maxAbs: 8, meanMaxSoftmax: 0.85, saturatedFraction: 0.02, confidentlyWrongFraction: 0, ...logits },
  };
}

function evaluation(predictedClassCounts: number[], accuracy: number): EvaluationReport {
  return { step: 2000, split: 'test', accuracy, loss: 2.3, examples: predictedClassCounts.reduce((a, b) => a + b, 0), predictedClassCounts };
}

function only(findings: Finding[]): Finding {
  assert.equal(findings.length, 1, JSON.stringify(findings));
  return findings[0]!;
}

test('the thresholds are the documented ones', () => {
  assert.equal(SATURATED_LOGIT, 40);
  assert.equal(CONFIDENTLY_WRONG_ERROR, 0.25);
  assert.equal(DEAD_RELU_WARNING, 0.4);
  assert.equal(DEAD_RELU_ERROR, 0.9);
});

test('a healthy report yields no findings', () => {
  assert.deepEqual(diagnoseActivations(arch, report()), []);
});

test('a healthy report with about half zeros after each ReLU but no dead units yields no findings', () => {
  const changes: Record<string, Partial<LayerActivationStats>> = {};
  for (const l of healthyLayers()) changes[l.layerName] = { zeroFraction: 0.5 };
  assert.deepEqual(diagnoseActivations(arch, report(changes)), []);
});

test('saturated, confidently wrong logits (|61|, 98 % above 0.99, 88 % wrong) are an error on fc2', () => {
  const finding = only(diagnoseActivations(arch, report({}, { std: 23, maxAbs: 61, saturatedFraction: 0.98, confidentlyWrongFraction: 0.88, meanMaxSoftmax: 0.99 })));
  assert.equal(finding.blockId, 'fc2');
  assert.equal(finding.severity, 'error');
  assert.ok(finding.message.includes('saturated'), finding.message);
  assert.ok(finding.message.includes('max |logit| 61.0'), finding.message);
  assert.ok(finding.message.includes('std 23.0'), finding.message);
  assert.ok(finding.message.includes('98% of probe images'), finding.message);
  assert.ok(finding.message.includes('88% are confidently wrong'), finding.message);
});

test('a well-trained net that is confidently right is not flagged; very large logits alone are a warning', () => {
  // The default preset after one epoch: max |logit| ≈ 20, 79 % saturated, almost all right.
  assert.deepEqual(diagnoseActivations(arch, report({}, { maxAbs: 19.9, saturatedFraction: 0.79, confidentlyWrongFraction: 0.01 })), []);
  assert.deepEqual(diagnoseActivations(arch, report({}, { maxAbs: 40, saturatedFraction: 0.9, confidentlyWrongFraction: 0.24 })), []);
  const large = only(diagnoseActivations(arch, report({}, { maxAbs: 45, saturatedFraction: 0.9, confidentlyWrongFraction: 0.02 })));
  assert.equal(large.severity, 'warning');
  assert.equal(large.blockId, 'fc2');
  assert.equal(only(diagnoseActivations(arch, report({}, { maxAbs: 8, saturatedFraction: 0.3, confidentlyWrongFraction: 0.25 }))).severity, 'error');
});

test('half of fc1\'s units dead is a warning on fc1', () => {
  const finding = only(diagnoseActivations(arch, report({ 'fc1/dense': { zeroFraction: 0.75, deadFraction: 0.5 } })));
  assert.deepEqual(finding, {
    blockId: 'fc1',
    severity: 'warning',
    message: '50% of fc1/dense\'s units are dead: zero for every probe image, so they pass no gradient',
  });
});

test('dead units at or above 90 % are an error; from 40 % a warning; below 40 % nothing', () => {
  assert.equal(only(diagnoseActivations(arch, report({ 'res2a/add': { deadFraction: 0.95 } }))).severity, 'error');
  assert.equal(only(diagnoseActivations(arch, report({ 'res2a/add': { deadFraction: 0.9 } }))).severity, 'error');
  assert.equal(only(diagnoseActivations(arch, report({ 'res2a/add': { deadFraction: 0.89 } }))).severity, 'warning');
  assert.equal(only(diagnoseActivations(arch, report({ 'res2a/add': { deadFraction: 0.4 } }))).severity, 'warning');
  assert.deepEqual(diagnoseActivations(arch, report({ 'res2a/add': { deadFraction: 0.39 } })), []);
  assert.equal(only(diagnoseActivations(arch, report({ 'res2a/add': { deadFraction: 0.95 } }))).blockId, 'res2a');
});

test('dead ReLUs are judged by deadFraction, not by the fraction of zeros', () => {
  // Many zeros in the output but every unit fires for some image: not dead.
  assert.deepEqual(diagnoseActivations(arch, report({ 'fc1/dense': { zeroFraction: 0.95, deadFraction: 0 } })), []);
  // Few zeros overall, yet half the channels never fire.
  const finding = only(diagnoseActivations(arch, report({ 'stem/conv': { zeroFraction: 0.1, deadFraction: 0.5 } })));
  assert.equal(finding.blockId, 'stem');
  assert.equal(finding.severity, 'warning');
  assert.ok(finding.message.startsWith('50% of stem/conv\'s units are dead'), finding.message);
});

test('layers without a ReLU are never called dead', () => {
  const changes = {
    'fc2/dense': { deadFraction: 1, zeroFraction: 1 },
    'res2a/shortcut': { deadFraction: 1, zeroFraction: 1 },
    'pool1/max': { deadFraction: 1, zeroFraction: 1 },
    'flatten': { deadFraction: 1, zeroFraction: 1 },
    'dropout': { deadFraction: 1, zeroFraction: 1 },
  };
  assert.deepEqual(diagnoseActivations(arch, report(changes)), []);
});

test('the seed\'s collapse at initialisation: saturated logits and dead fc1 units, in that order', () => {
  const findings = diagnoseActivations(arch, report(
    { 'fc1/dense': { std: 6.8, zeroFraction: 0.5, deadFraction: 0.5 }, 'res2a/add': { deadFraction: 0.07 } },
    { std: 23, maxAbs: 61, saturatedFraction: 0.98, confidentlyWrongFraction: 0.9 },
  ));
  assert.deepEqual(findings.map((f) => [f.blockId, f.severity]), [['fc2', 'error'], ['fc1', 'warning']]);
});

test('a NaN std yields a single error saying the run has diverged', () => {
  const finding = only(diagnoseActivations(arch, report(
    { 'res2b/conv2': { std: Number.NaN }, 'fc1/dense': { deadFraction: 0.95 } },
    { std: 40, maxAbs: 61, saturatedFraction: 1 },
  )));
  assert.equal(finding.severity, 'error');
  assert.equal(finding.blockId, 'res2b');
  assert.ok(finding.message.includes('diverged'), finding.message);
  assert.ok(finding.message.includes('res2b/conv2'), finding.message);
});

test('non-finite logits alone yield a single divergence error on the output block', () => {
  const finding = only(diagnoseActivations(arch, report({}, { std: Number.NaN, maxAbs: Number.POSITIVE_INFINITY })));
  assert.deepEqual(finding, { blockId: 'fc2', severity: 'error', message: 'non-finite activations: the run has diverged (NaN or infinity)' });
});

test('an infinite maxAbs in a layer is divergence too', () => {
  const finding = only(diagnoseActivations(arch, report({ 'fc1/dense': { maxAbs: Number.POSITIVE_INFINITY } })));
  assert.equal(finding.blockId, 'fc1');
  assert.ok(finding.message.includes('diverged'), finding.message);
});

test('every test image called a "1" is a collapse', () => {
  const finding = only(diagnoseEvaluation(arch, evaluation([0, 10_000, 0, 0, 0, 0, 0, 0, 0, 0], 0.1135)));
  assert.equal(finding.blockId, 'fc2');
  assert.equal(finding.severity, 'error');
  assert.ok(finding.message.includes('"1"'), finding.message);
  assert.ok(finding.message.includes('collapsed'), finding.message);
  assert.equal(finding.message, 'collapsed: the model calls 100% of test images a "1" (accuracy 11%, chance is 10%)');
});

test('90 % in one class is a collapse; 89 % is not', () => {
  const finding = only(diagnoseEvaluation(arch, evaluation([100, 100, 100, 100, 100, 100, 100, 9000, 150, 150], 0.2)));
  assert.ok(finding.message.includes('90% of test images a "7"'), finding.message);
  assert.deepEqual(diagnoseEvaluation(arch, evaluation([100, 100, 100, 100, 100, 100, 100, 8900, 200, 200], 0.2)), []);
});

test('balanced predictions are not a collapse', () => {
  assert.deepEqual(diagnoseEvaluation(arch, evaluation([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009], 0.98)), []);
});

test('no predictions at all yield no findings', () => {
  assert.deepEqual(diagnoseEvaluation(arch, evaluation([0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0)), []);
});

test('no TensorFlow module was loaded by the diagnosis', () => {
  assert.deepEqual(Object.keys(require.cache).filter((k) => k.includes('@tensorflow')), []);
});
