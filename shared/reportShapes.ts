// The shapes of everything the trainer reports (trainingReports.ts, architecture.ts,
// modelFigures.ts, trainingConfig.ts), as checks the host's guard runs on every message. Bounds
// are generous for this network but finite, so a message cannot smuggle a huge array in.
import { confusionReport } from './confusionMatrix';
import { LAYER_OPS, layerCheck } from './layerKinds';
import { validateConfig } from './trainingConfig';
import {
  boolean, exactly, finiteNumber, integer, isRecord, listOf, oneOf, shape, statistic, text, variants, type Check,
} from './validation';

/** Steps, counts, bytes, parameters: whole numbers from zero. */
const count = integer(0, Number.MAX_SAFE_INTEGER);
const name = text(256);
const dimension = integer(1, 1_000_000);
const tensorShape = listOf(dimension, 8, 1);
/** Layers in one block, blocks in one model, classes, layers described at once. */
const MAX_PARTS = 1000;
/** The longest run: TrainingConfig allows 10,000,000 steps, reported at most once a step. */
const MAX_HISTORY = 10_000_000;

/** A whole TrainingConfig, with validateConfig's sentences naming each problem. */
export const trainingConfig: Check = (value, at) => {
  if (!isRecord(value)) return `${at} must be an object`;
  const problems = validateConfig(value);
  return problems.length > 0 ? `${at}: ${problems.join('; ')}` : null;
};

const layerSpec = variants('op', Object.fromEntries(LAYER_OPS.map((op) => [op, layerCheck(op)])));

const shortcut = variants('kind', {
  identity: shape({ kind: exactly('identity') }),
  projection: shape({ kind: exactly('projection'), layer: layerCheck('conv2d') }),
});

const BLOCK_KINDS = ['input', 'conv', 'pool', 'residual', 'flatten', 'dense', 'dropout'];
const blockSpec = shape(
  { id: name, kind: oneOf(BLOCK_KINDS), title: name, layers: listOf(layerSpec, MAX_PARTS) },
  { shortcut },
);

/** An ArchitectureSpec's fields (its meaning, shapes meeting and so on, is architectureCheck.ts's). */
export const architectureSpec = shape({ name, inputShape: listOf(dimension, 3, 3), classes: integer(1, MAX_PARTS), blocks: listOf(blockSpec, MAX_PARTS) });

const layerFigures = shape(
  { name, op: oneOf(LAYER_OPS), inputShape: tensorShape, outputShape: tensorShape, params: count, macs: count, detail: name },
  { shortcut: boolean },
);

export const architectureReport = shape({
  spec: architectureSpec,
  figures: shape({
    blocks: listOf(shape({ id: name, inputShape: tensorShape, outputShape: tensorShape, params: count, macs: count, layers: listOf(layerFigures, MAX_PARTS) }), MAX_PARTS),
    totalParams: count,
    totalMacs: count,
  }),
});

export const progressReport = shape({
  step: count, totalSteps: count, epoch: count, loss: statistic, batchAccuracy: statistic, imagesPerSec: statistic, etaSec: statistic, elapsedSec: statistic,
});

const evaluationFields = {
  step: count, split: oneOf(['validation', 'test']), accuracy: statistic, loss: statistic, examples: count, predictedClassCounts: listOf(count, MAX_PARTS),
};
/** An evaluation in a run's history: without a confusion matrix only if written before they were reported. */
export const evaluationReport = shape(evaluationFields, { confusion: confusionReport });
/** An evaluation just made (the evaluation message) always carries its confusion matrix. */
export const freshEvaluationReport = shape({ ...evaluationFields, confusion: confusionReport });

const layerActivationStats = shape({
  layerName: name, blockId: name, mean: statistic, std: statistic, maxAbs: statistic, zeroFraction: statistic, deadFraction: statistic,
});

export const activationReport = shape({
  step: count,
  probeExamples: count,
  layers: listOf(layerActivationStats, MAX_PARTS),
  logits: shape({ std: statistic, maxAbs: statistic, meanMaxSoftmax: statistic, saturatedFraction: statistic, confidentlyWrongFraction: statistic }),
});

export const blockDetails = shape({
  blockId: name,
  step: count,
  weights: listOf(shape({ name, shape: listOf(count, 8), count, min: statistic, max: statistic, mean: statistic, std: statistic, nanCount: count }), MAX_PARTS),
  activations: listOf(layerActivationStats, MAX_PARTS),
});

export const checkpointReport = shape({ step: count, path: text(4096), bytes: count });

export const runSummary = shape(
  {
    outcome: oneOf(['finished', 'stopped']), config: trainingConfig, stepsDone: count, backend: name,
    // Finite: the trainer computes them guarded, and the host formats them as they are.
    wallSec: finiteNumber, trainSec: finiteNumber, imagesPerSec: finiteNumber, peakRssMb: finiteNumber,
  },
  { finalValidation: evaluationReport, test: evaluationReport, firstStepEndedAt: finiteNumber },
);

export const runHistory = shape({ progress: listOf(progressReport, MAX_HISTORY), evaluations: listOf(evaluationReport, MAX_HISTORY) });
