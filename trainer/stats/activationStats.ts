// Per-layer activation statistics on a fixed probe batch. These make a collapse visible: the
// seed's initialisation gives logits of ±60 and half of fc1's ReLUs dead before the first step.
import * as tf from '@tensorflow/tfjs-core';
import type { ActivationReport, LayerActivationStats } from '../../shared/trainingReports';
import type { ResNetModel } from '../model/resnetModel';

/** A softmax whose top probability exceeds this has (numerically) stopped learning from its loss. */
export const SATURATED_SOFTMAX = 0.99;

/** At the model's current parameters, or at `weights` (in the specs' order) when given. */
export function probeActivations(model: ResNetModel, probeImages: tf.Tensor4D, probeLabels: tf.Tensor1D, step: number, weights?: readonly tf.Tensor[]): ActivationReport {
  const names: { layerName: string; blockId: string }[] = [];
  // All statistics are stacked on the backend and read back once: one sync, not one per layer.
  const values = tf.tidy(() => {
    const rows: tf.Tensor[] = [];
    const logits = model.forward(probeImages, {
      training: false,
      observe: (layerName, blockId, output) => {
        if (blockId === 'input' || output.rank === 0) return;
        names.push({ layerName, blockId });
        // Its own tidy: the full-size temporaries (|x|, x == 0, …) go at once instead of piling up
        // until the pass ends (1.5 GB more peak memory on the 256-image probe).
        rows.push(tf.tidy(() => {
          const { mean, variance } = tf.moments(output);
          // A unit is dead when it is zero at every position of every probe image.
          const units = output.shape[output.rank - 1]!;
          const unitMaxAbs = tf.max(tf.abs(tf.reshape(output, [-1, units])), 0);
          return tf.stack([
            mean, tf.sqrt(variance), tf.max(tf.abs(output)),
            tf.mean(tf.cast(tf.equal(output, 0), 'float32')), tf.mean(tf.cast(tf.equal(unitMaxAbs, 0), 'float32')),
          ]);
        }));
      },
    }, weights ?? model.parameters.readAll());
    const top = tf.max(tf.softmax(logits), 1);
    const saturated = tf.greater(top, SATURATED_SOFTMAX);
    const wrong = tf.notEqual(tf.argMax(logits, 1), probeLabels);
    const { variance } = tf.moments(logits);
    rows.push(tf.stack([
      tf.sqrt(variance), tf.max(tf.abs(logits)), tf.mean(top), tf.mean(tf.cast(saturated, 'float32')), tf.mean(tf.cast(tf.logicalAnd(saturated, wrong), 'float32')),
    ]));
    return tf.stack(rows);
  });
  const flat = values.dataSync();
  values.dispose();
  const W = 5;
  const layers: LayerActivationStats[] = names.map((n, i) => ({
    ...n, mean: flat[i * W]!, std: flat[i * W + 1]!, maxAbs: flat[i * W + 2]!, zeroFraction: flat[i * W + 3]!, deadFraction: flat[i * W + 4]!,
  }));
  const l = names.length * W;
  return {
    step,
    probeExamples: probeImages.shape[0],
    layers,
    logits: { std: flat[l]!, maxAbs: flat[l + 1]!, meanMaxSoftmax: flat[l + 2]!, saturatedFraction: flat[l + 3]!, confidentlyWrongFraction: flat[l + 4]! },
  };
}
