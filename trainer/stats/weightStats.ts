// Statistics of a parameter tensor's current values, for the inspector. NaNs are counted and
// left out of the other figures, so one bad value does not hide what the rest look like.
import * as tf from '@tensorflow/tfjs-core';
import type { WeightStats } from '../../shared/trainingReports';

export function weightStats(name: string, values: tf.Tensor): WeightStats {
  const summary = tf.tidy(() => {
    const nan = tf.isNaN(values);
    const finite = tf.where(nan, tf.zerosLike(values), values);
    const count = tf.sub(tf.scalar(values.size), tf.sum(tf.cast(nan, 'float32')));
    const mean = tf.div(tf.sum(finite), tf.maximum(count, 1));
    const variance = tf.div(tf.sum(tf.where(nan, tf.zerosLike(values), tf.square(tf.sub(values, mean)))), tf.maximum(count, 1));
    const big = tf.fill(values.shape, Infinity);
    return tf.stack([
      tf.min(tf.where(nan, big, values)), tf.max(tf.where(nan, tf.neg(big), values)), mean, tf.sqrt(variance), tf.sub(tf.scalar(values.size), count),
    ]);
  });
  const [min, max, mean, std, nanCount] = Array.from(summary.dataSync());
  summary.dispose();
  return { name, shape: [...values.shape], count: values.size, min: min!, max: max!, mean: mean!, std: std!, nanCount: Math.round(nanCount!) };
}
