// Accuracy, mean loss and confusion matrix of the current weights over a whole split, dropout
// off. Accuracy and loss sum on the backend; each batch's predictions and probabilities are read
// once, for the confusion matrix and the per-image top-3 the error gallery shows later.
import * as tf from '@tensorflow/tfjs-core';
import { confusionFromPredictions } from '../../shared/confusionMatrix';
import { TOP_PREDICTION_BYTES } from '../../shared/errorGallery';
import type { EvaluationReport, EvaluationSplit } from '../../shared/trainingReports';
import { exampleRange, imageBatch, labelBatch } from '../data/batchTensors';
import type { MnistSplit } from '../mnist';
import { packTopPredictions, type SplitPredictions } from '../evaluation/evaluationPredictions';
import type { StepEngine } from './stepEngine';

// 100 images at a time: a 14×14×256 activation is 20 MB rather than 100 MB at 500, which lowered
// a 120-step default CLI run's peak from 1,218 to 989 MB (/usr/bin/time -v), same accuracies.
const EVAL_BATCH = 100;
// Progress is reported every 500 images (and at the end), as before the batches shrank: 10 phase
// messages per validation are enough for the status bar's percentage.
const PROGRESS_EVERY = 500;

export interface SplitEvaluation {
  report: EvaluationReport;
  predictions: SplitPredictions;
}

/** Called every PROGRESS_EVERY images and at the end with the images evaluated so far, so a caller can show progress. */
export type EvaluationProgress = (done: number, total: number) => void;

export function evaluateSplit(
  engine: Pick<StepEngine, 'logits'>, split: MnistSplit, name: EvaluationSplit, step: number, onBatch?: EvaluationProgress,
): SplitEvaluation {
  let correct = tf.scalar(0);
  let lossSum = tf.scalar(0);
  let counts = tf.zeros([10]);
  const predictedDigits = new Int32Array(split.count);
  const topPredictions = new Uint8Array(split.count * TOP_PREDICTION_BYTES);
  for (let start = 0; start < split.count; start += EVAL_BATCH) {
    const size = Math.min(EVAL_BATCH, split.count - start);
    const [nextCorrect, nextLoss, nextCounts, predicted, probabilities] = tf.tidy(() => {
      const indices = exampleRange(start, size);
      const images = imageBatch(split, indices);
      const labels = labelBatch(split, indices);
      const logits = engine.logits(images);
      const predicted = tf.argMax(logits, 1);
      const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 10), logits, undefined, undefined, tf.Reduction.SUM);
      return [
        tf.add(correct, tf.sum(tf.cast(tf.equal(predicted, labels), 'float32'))),
        tf.add(lossSum, loss),
        tf.add(counts, tf.sum(tf.oneHot(predicted, 10), 0)),
        predicted,
        tf.softmax(logits),
      ];
    });
    tf.dispose([correct, lossSum, counts]);
    [correct, lossSum, counts] = [nextCorrect!, nextLoss!, nextCounts!];
    const batchPredicted = predicted!.dataSync() as Int32Array;
    predictedDigits.set(batchPredicted, start);
    packTopPredictions(probabilities!.dataSync() as Float32Array, batchPredicted, topPredictions, start);
    tf.dispose([predicted!, probabilities!]);
    const done = start + size;
    if (done % PROGRESS_EVERY === 0 || done === split.count) onBatch?.(done, split.count);
  }
  const accuracy = correct.dataSync()[0]! / split.count;
  const loss = lossSum.dataSync()[0]! / split.count;
  const predictedClassCounts = Array.from(counts.dataSync(), Math.round);
  tf.dispose([correct, lossSum, counts]);
  const confusion = confusionFromPredictions(split.labels.subarray(0, split.count), predictedDigits);
  return {
    report: { step, split: name, accuracy, loss, examples: split.count, predictedClassCounts, confusion },
    predictions: { split: name, step, topPredictions },
  };
}
