// What each evaluation predicted for every image of its split, kept so the panel can ask later
// for the images behind any confusion-matrix cell at that step, with the probabilities the
// model gave then (the weights have moved on since). Six bytes per image: ~30 KB per
// validation evaluation. The newest MAX_KEPT_EVALUATIONS are kept in memory, and each is also
// written to the run folder (runStore/predictionFiles.ts), which answers for the evaluations
// this process did not make: before a resume, or for an inspected run whose trainer has ended.
import { DIGIT_CLASSES } from '../../shared/confusionMatrix';
import {
  IMAGE_PIXELS, PROBABILITY_LEVELS, TOP_PREDICTION_BYTES, TOP_PREDICTIONS, type ErrorGallery, type GalleryQuery,
} from '../../shared/errorGallery';
import { errorMessage } from '../../shared/errorMessage';
import { MAX_KEPT_EVALUATIONS, type PredictionFiles, type SplitPredictions } from '../../runStore/predictionFiles';

export type { SplitPredictions } from '../../runStore/predictionFiles';

/**
 * The three likeliest digits of each row of `probabilities` (count × 10), packed as bytes into
 * `into` from image `offset` on. The first is the evaluation's own prediction (argmax of the
 * logits), so a cell's gallery holds exactly the images its count counts, even where softmax
 * rounding makes two probabilities equal.
 */
export function packTopPredictions(probabilities: Float32Array, predicted: Int32Array, into: Uint8Array, offset: number): void {
  for (let i = 0; i < predicted.length; i++) {
    const row = probabilities.subarray(i * DIGIT_CLASSES, (i + 1) * DIGIT_CLASSES);
    const first = predicted[i]!;
    const order = [first, ...Array.from(row.keys()).filter((d) => d !== first).sort((a, b) => row[b]! - row[a]! || a - b)];
    for (let k = 0; k < TOP_PREDICTIONS; k++) {
      const at = (offset + i) * TOP_PREDICTION_BYTES + 2 * k;
      into[at] = order[k]!;
      into[at + 1] = Math.round(row[order[k]!]! * PROBABILITY_LEVELS);
    }
  }
}

/** The raw images and labels of a split, as loaded from the IDX files. */
export interface RawImages {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export class EvaluationPredictions {
  private readonly kept: SplitPredictions[] = [];

  /** files: the run folder's prediction files; null for a run without a folder (a bare checkpoint folder, tests). */
  constructor(private readonly files: PredictionFiles | null, private readonly log: (line: string) => void = (line) => console.error(line)) {}

  /** Keeps an evaluation's predictions in memory and in the run folder. A failed write loses only its gallery later, so training goes on. */
  remember(predictions: SplitPredictions): void {
    const same = this.kept.findIndex((p) => p.split === predictions.split && p.step === predictions.step);
    if (same >= 0) this.kept.splice(same, 1);
    this.kept.push(predictions);
    if (this.kept.length > MAX_KEPT_EVALUATIONS) this.kept.shift();
    try {
      this.files?.write(predictions);
    } catch (error) {
      this.log(`could not keep the ${predictions.split} predictions of step ${predictions.step} in ${this.files!.runDir}: ${errorMessage(error)}`);
    }
  }

  /** The images the query selects, most confident first; throws a readable error if that evaluation is not kept. */
  gallery(query: GalleryQuery, data: RawImages): ErrorGallery {
    const predictions = this.kept.find((p) => p.split === query.split && p.step === query.step) ?? this.stored(query, data.count);
    const top = predictions.topPredictions;
    const predicted = (i: number) => top[i * TOP_PREDICTION_BYTES]!;
    const confidence = (i: number) => top[i * TOP_PREDICTION_BYTES + 1]!;
    const { selection } = query;
    const matching: number[] = [];
    for (let i = 0; i < data.count; i++) {
      const label = data.labels[i]!;
      const chosen = selection.kind === 'cell'
        ? label === selection.trueDigit && predicted(i) === selection.predictedDigit
        : label !== predicted(i);
      if (chosen) matching.push(i);
    }
    // Most confident first; ties in split order, so the same query gives the same gallery.
    const shown = matching.sort((a, b) => confidence(b) - confidence(a) || a - b).slice(0, query.limit);
    const pixels = new Uint8Array(shown.length * IMAGE_PIXELS);
    const topPredictions = new Uint8Array(shown.length * TOP_PREDICTION_BYTES);
    shown.forEach((index, i) => {
      pixels.set(data.images.subarray(index * IMAGE_PIXELS, (index + 1) * IMAGE_PIXELS), i * IMAGE_PIXELS);
      topPredictions.set(top.subarray(index * TOP_PREDICTION_BYTES, (index + 1) * TOP_PREDICTION_BYTES), i * TOP_PREDICTION_BYTES);
    });
    return {
      query,
      matches: matching.length,
      indices: shown,
      labels: shown.map((index) => data.labels[index]!),
      pixels: Buffer.from(pixels).toString('base64'),
      topPredictions: Buffer.from(topPredictions).toString('base64'),
    };
  }

  /** An evaluation this process did not make (or no longer holds), from the run folder. */
  private stored(query: GalleryQuery, imageCount: number): SplitPredictions {
    const notKept = (reason: string) => new Error(`The images of step ${query.step}'s ${query.split} evaluation are not kept for this run: ${reason}.`);
    if (!this.files) throw notKept('it has no run folder (a bare checkpoint folder), and this trainer did not make that evaluation');
    try {
      return { split: query.split, step: query.step, topPredictions: this.files.read(query.split, query.step, imageCount) };
    } catch (error) {
      throw notKept(errorMessage(error));
    }
  }
}
