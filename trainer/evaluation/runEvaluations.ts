// A run's evaluations of whole splits: each one's per-image predictions are kept for the error
// gallery (in memory and in the run folder), and a scheduled one reports its progress as a phase and is timed, so the ETA can count
// the evaluations still to come at this machine's speed.
import type { PredictionFiles } from '../../runStore/predictionFiles';
import type { ErrorGallery, GalleryQuery } from '../../shared/errorGallery';
import type { RunPhase } from '../../shared/runPhase';
import type { EvaluationReport, EvaluationSplit } from '../../shared/trainingReports';
import type { MnistDataset, MnistSplit } from '../mnist';
import { evaluateSplit, type EvaluationProgress } from '../train/evaluate';
import type { StepEngine } from '../train/stepEngine';
import { EvaluationPredictions } from './evaluationPredictions';

/** The split of `dataset` an evaluation of `split` covers. */
export function evaluatedSplit(dataset: Pick<MnistDataset, 'validation' | 'test'>, split: EvaluationSplit): MnistSplit {
  return split === 'test' ? dataset.test : dataset.validation;
}

export class RunEvaluations {
  /** Every evaluation's per-image predictions, for the error gallery. */
  private readonly predictions: EvaluationPredictions;
  /** Seconds per image of the last scheduled evaluation; null before one ran. */
  secPerImage: number | null = null;

  /** files: the run folder's prediction files (null: predictions are kept in memory only). */
  constructor(private readonly engine: Pick<StepEngine, 'logits'>, private readonly dataset: Pick<MnistDataset, 'validation' | 'test'>, files: PredictionFiles | null) {
    this.predictions = new EvaluationPredictions(files);
  }

  splitData(split: EvaluationSplit): MnistSplit {
    return evaluatedSplit(this.dataset, split);
  }

  /** Accuracy of the current weights on a whole split; `onBatch` hears how many images are done. */
  evaluate(split: EvaluationSplit, step: number, onBatch?: EvaluationProgress): EvaluationReport {
    const { report, predictions } = evaluateSplit(this.engine, this.splitData(split), split, step, onBatch);
    this.predictions.remember(predictions);
    return report;
  }

  /** An evaluation on the run's schedule: its progress reported as a phase, its time kept. */
  scheduled(split: EvaluationSplit, step: number, phase: ((phase: RunPhase) => void) | undefined): EvaluationReport {
    const kind = split === 'test' ? 'testing' : 'validating';
    const total = this.splitData(split).count;
    phase?.({ kind, done: 0, total });
    const t0 = performance.now();
    const evaluation = this.evaluate(split, step, (done) => phase?.({ kind, done, total }));
    this.secPerImage = (performance.now() - t0) / 1000 / evaluation.examples;
    return evaluation;
  }

  /** Images of one confusion-matrix cell (or the most confidently wrong) as that evaluation saw them. */
  gallery(query: GalleryQuery): ErrorGallery {
    return this.predictions.gallery(query, this.splitData(query.split));
  }
}
