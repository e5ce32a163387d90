// Accuracy and mean loss of the current weights over a whole split, dropout off. Sums stay on
// the backend; one read at the end.
import * as tf from '@tensorflow/tfjs-core';
import type { EvaluationReport, EvaluationSplit } from '../../shared/trainingReports';
import type { MnistSplitTensors } from '../data/mnistTensors';
import type { StepEngine } from './stepEngine';

const EVAL_BATCH = 500;

/** Called after each batch with the images evaluated so far, so a caller can show progress. */
export type EvaluationProgress = (done: number, total: number) => void;

export function evaluateSplit(
  engine: Pick<StepEngine, 'logits'>, split: MnistSplitTensors, name: EvaluationSplit, step: number, onBatch?: EvaluationProgress,
): EvaluationReport {
  let correct = tf.scalar(0);
  let lossSum = tf.scalar(0);
  let counts = tf.zeros([10]);
  for (let start = 0; start < split.count; start += EVAL_BATCH) {
    const size = Math.min(EVAL_BATCH, split.count - start);
    const [nextCorrect, nextLoss, nextCounts] = tf.tidy(() => {
      const images = tf.slice(split.images, [start, 0, 0, 0], [size, 28, 28, 1]);
      const labels = tf.slice(split.labels, [start], [size]);
      const logits = engine.logits(images);
      const predicted = tf.argMax(logits, 1);
      const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 10), logits, undefined, undefined, tf.Reduction.SUM);
      return [
        tf.add(correct, tf.sum(tf.cast(tf.equal(predicted, labels), 'float32'))),
        tf.add(lossSum, loss),
        tf.add(counts, tf.sum(tf.oneHot(predicted, 10), 0)),
      ];
    });
    tf.dispose([correct, lossSum, counts]);
    [correct, lossSum, counts] = [nextCorrect!, nextLoss!, nextCounts!];
    onBatch?.(start + size, split.count);
  }
  const accuracy = correct.dataSync()[0]! / split.count;
  const loss = lossSum.dataSync()[0]! / split.count;
  const predictedClassCounts = Array.from(counts.dataSync(), Math.round);
  tf.dispose([correct, lossSum, counts]);
  return { step, split: name, accuracy, loss, examples: split.count, predictedClassCounts };
}
