// Facts the trainer reports about a run. Plain data: they cross IPC to the host, are kept in the
// host's session state, and reach the webview in snapshots.
import type { ArchitectureSpec } from './architecture';
import type { ConfusionReport } from './confusionMatrix';
import type { ModelFigures } from './modelFigures';
import type { TrainingConfig } from './trainingConfig';

/** How the trainer runs a training step: one TensorFlow graph per step, or tfjs ops dispatched one by one. */
export type Execution = 'graph' | 'eager';
export const EXECUTIONS: readonly Execution[] = ['graph', 'eager'];

/** The built model: the spec it came from and its figures, checked against the built tensors. */
export interface ArchitectureReport {
  spec: ArchitectureSpec;
  figures: ModelFigures;
}

/** Emitted after the first step (of this process) and every `logEvery` steps. */
export interface ProgressReport {
  step: number;
  totalSteps: number;
  epoch: number;
  /** Training loss of this step's batch (dropout on). */
  loss: number;
  /** Accuracy on this step's batch with dropout off, as the seed measured it. */
  batchAccuracy: number;
  imagesPerSec: number;
  etaSec: number;
  elapsedSec: number;
}

export type EvaluationSplit = 'validation' | 'test';

/** Accuracy and mean loss over a whole split (dropout off). */
export interface EvaluationReport {
  step: number;
  split: EvaluationSplit;
  accuracy: number;
  loss: number;
  examples: number;
  /** How many examples the model put in each class: a collapse shows as one dominant class. */
  predictedClassCounts: number[];
  /** Confusion matrix and per-class accuracy; absent only in history written before they were reported. */
  confusion?: ConfusionReport;
}

/** Summary of one layer's output on the fixed probe batch. */
export interface LayerActivationStats {
  layerName: string;
  blockId: string;
  mean: number;
  std: number;
  maxAbs: number;
  /** Fraction of exact zeros among all outputs (about half is normal after a ReLU). */
  zeroFraction: number;
  /** Fraction of units (channels, or dense units) that output zero for every probe image: dead ReLUs. */
  deadFraction: number;
}

/** Activation statistics on the probe batch, plus how saturated the softmax is. */
export interface ActivationReport {
  step: number;
  probeExamples: number;
  layers: LayerActivationStats[];
  logits: {
    std: number;
    maxAbs: number;
    meanMaxSoftmax: number;
    /** Probe images whose top softmax exceeds 0.99. */
    saturatedFraction: number;
    /** Probe images predicted wrong with a top softmax above 0.99: saturation that hurts. */
    confidentlyWrongFraction: number;
  };
}

/** Statistics of one parameter tensor's current values. */
export interface WeightStats {
  name: string;
  shape: number[];
  count: number;
  min: number;
  max: number;
  mean: number;
  std: number;
  nanCount: number;
}

/** What the inspector shows for one block. */
export interface BlockDetails {
  blockId: string;
  step: number;
  weights: WeightStats[];
  activations: LayerActivationStats[];
}

/** Where a checkpoint was written. */
export interface CheckpointReport {
  step: number;
  path: string;
  bytes: number;
}

export type RunOutcome = 'finished' | 'stopped';

/** The end of a run. */
export interface RunSummary {
  outcome: RunOutcome;
  config: TrainingConfig;
  stepsDone: number;
  backend: string;
  wallSec: number;
  trainSec: number;
  imagesPerSec: number;
  /** Peak resident memory of the training process so far. */
  peakRssMb: number;
  /** When this process's first training step ended (ms since the epoch): how long start-up took, against when the process started. */
  firstStepEndedAt?: number;
  finalValidation?: EvaluationReport;
  test?: EvaluationReport;
}

/** Progress and evaluations so far, kept in checkpoints so a resumed run keeps its curves. */
export interface RunHistory {
  progress: ProgressReport[];
  evaluations: EvaluationReport[];
}
