// How long a run has left, counting what the step counter does not show: the scheduled
// validations, the final validation and test, and the checkpoint writes. Pure arithmetic, so
// the trainer's progress reports and its tests share one definition.
import type { TrainingConfig } from './trainingConfig';

/**
 * Evaluation cost of one image relative to one training image, used until the run has timed an
 * evaluation of its own: a forward pass in batches of 100 against forward, backward and Adam in
 * small batches. Measured on the native backend with 60-step runs (evaluations of 5,000 and
 * 10,000 images timed from their phase events): 0.19–0.31 at batch 10 and 16, 0.11–0.41 at 64.
 */
export const EVAL_IMAGE_COST_VS_TRAINING = 0.25;

export interface RemainingWork {
  /** The step just completed (its progress report is being written). */
  step: number;
  config: Pick<TrainingConfig, 'steps' | 'batchSize' | 'evalEvery' | 'checkpointEvery'>;
  secPerStep: number;
  validationImages: number;
  testImages: number;
  /** Measured from this run's last evaluation; null before its first. */
  secPerEvalImage: number | null;
  /** Measured from this run's last checkpoint write; null before its first. */
  secPerCheckpoint: number | null;
}

/** Multiples of `every` in [from, to): the events a schedule still owes after step `from`'s report. */
export function scheduledBetween(from: number, to: number, every: number): number {
  if (every <= 0 || to <= from) return 0;
  return Math.floor((to - 1) / every) - Math.floor((from - 1) / every);
}

/** Seconds until the run ends: steps left, then every evaluation and checkpoint still to come. */
export function remainingRunSec(work: RemainingWork): number {
  const { step, config } = work;
  const stepsLeft = Math.max(0, config.steps - step);
  const secPerEvalImage = work.secPerEvalImage ?? (work.secPerStep / config.batchSize) * EVAL_IMAGE_COST_VS_TRAINING;
  // Scheduled validations before the last step, then the final validation and the test.
  const validations = scheduledBetween(step, config.steps, config.evalEvery) + 1;
  const evaluationSec = (validations * work.validationImages + work.testImages) * secPerEvalImage;
  // Scheduled checkpoints before the last step, then the final one.
  const checkpointSec = (scheduledBetween(step, config.steps, config.checkpointEvery) + 1) * (work.secPerCheckpoint ?? 0);
  return stepsLeft * work.secPerStep + evaluationSec + checkpointSec;
}
