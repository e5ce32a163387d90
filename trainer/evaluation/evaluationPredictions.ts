// What each evaluation predicted for every image of its split, kept so the panel can ask later
// for the images behind any confusion-matrix cell at that step, with the probabilities the
// model gave then (the weights have moved on since). Six bytes per image: ~30 KB per
// validation evaluation, so the last MAX_KEPT evaluations fit in about 2 MB.
import { DIGIT_CLASSES } from '../../shared/confusionMatrix';
import {
  IMAGE_PIXELS, PROBABILITY_LEVELS, TOP_PREDICTION_BYTES, TOP_PREDICTIONS, type ErrorGallery, type GalleryQuery,
} from '../../shared/errorGallery';
import type { EvaluationSplit } from '../../shared/trainingReports';

/** Evaluations kept; older ones are dropped first. */
export const MAX_KEPT = 64;

/** One evaluation's predictions: per image [digit, p × 255] × 3, likeliest first. */
export interface SplitPredictions {
  split: EvaluationSplit;
  step: number;
  topPredictions: Uint8Array;
}

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

  remember(predictions: SplitPredictions): void {
    const same = this.kept.findIndex((p) => p.split === predictions.split && p.step === predictions.step);
    if (same >= 0) this.kept.splice(same, 1);
    this.kept.push(predictions);
    if (this.kept.length > MAX_KEPT) this.kept.shift();
  }

  /** The images the query selects, most confident first; throws a readable error if that evaluation is not kept. */
  gallery(query: GalleryQuery, data: RawImages): ErrorGallery {
    const predictions = this.kept.find((p) => p.split === query.split && p.step === query.step);
    if (!predictions) {
      throw new Error(`The ${query.split} predictions of step ${query.step} are not in this trainer's memory (it keeps those it made itself, the last ${MAX_KEPT} evaluations); evaluate again to see images.`);
    }
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
}
