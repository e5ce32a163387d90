// Per-layer activation statistics on a fixed probe batch. These make a collapse visible: the
// seed's initialisation gives logits of ±60 and half of fc1's ReLUs dead before the first step.
import * as tf from '@tensorflow/tfjs-core';
import type { ActivationReport, LayerActivationStats } from '../../shared/trainingReports';
import type { ResNetModel } from '../model/resnetModel';

/** A softmax whose top probability exceeds this has (numerically) stopped learning from its loss. */
export const SATURATED_SOFTMAX = 0.99;

/**
 * Images per eager forward pass of the probe. Its 256 images go through in chunks so that the pass
 * holds 64 images' activations at a time instead of 256 (a 14×14×256 activation: 13 MB, not 51 MB);
 * the chunks' statistics are then combined exactly as one pass over all images would give them,
 * up to float rounding.
 */
export const PROBE_CHUNK = 64;

/** One layer's statistics over one chunk. */
interface ChunkStats { elements: number; mean: number; variance: number; maxAbs: number; zeroFraction: number; unitMaxAbs: Float32Array }

/** Mean and variance of the union of chunks from theirs (the parallel form of the variance). */
function combinedMoments(parts: readonly { elements: number; mean: number; variance: number }[]): { mean: number; variance: number } {
  const total = parts.reduce((n, p) => n + p.elements, 0);
  const mean = parts.reduce((sum, p) => sum + p.elements * p.mean, 0) / total;
  const variance = parts.reduce((sum, p) => sum + p.elements * (p.variance + (p.mean - mean) ** 2), 0) / total;
  return { mean, variance };
}

/** At the model's current parameters, or at `weights` (in the specs' order) when given. */
export function probeActivations(model: ResNetModel, probeImages: tf.Tensor4D, probeLabels: tf.Tensor1D, step: number, weights?: readonly tf.Tensor[]): ActivationReport {
  const count = probeImages.shape[0];
  const values = weights ?? model.parameters.readAll();
  const names: { layerName: string; blockId: string }[] = [];
  const layerChunks: ChunkStats[][] = [];
  const logitChunks: { elements: number; mean: number; variance: number; maxAbs: number; topSum: number; saturated: number; confidentlyWrong: number }[] = [];
  try {
    for (let start = 0; start < count; start += PROBE_CHUNK) {
      const size = Math.min(PROBE_CHUNK, count - start);
      const units: number[] = [];
      const elements: number[] = [];
      // All of a chunk's statistics are concatenated on the backend and read back once.
      const flatTensor = tf.tidy(() => {
        const images = tf.slice(probeImages, [start, 0, 0, 0], [size, -1, -1, -1]);
        const labels = tf.slice(probeLabels, [start], [size]);
        const rows: tf.Tensor[] = [];
        const logits = model.forward(images, {
          training: false,
          observe: (layerName, blockId, output) => {
            if (blockId === 'input' || output.rank === 0) return;
            if (start === 0) names.push({ layerName, blockId });
            const unitCount = output.shape[output.rank - 1]!;
            units.push(unitCount);
            elements.push(output.size);
            // Its own tidy: the full-size temporaries (|x|, x == 0, …) go at once instead of piling
            // up until the pass ends.
            rows.push(tf.tidy(() => {
              const { mean, variance } = tf.moments(output);
              // A unit is dead when it is zero at every position of every probe image.
              const unitMaxAbs = tf.max(tf.abs(tf.reshape(output, [-1, unitCount])), 0);
              return tf.concat([tf.stack([mean, variance, tf.max(tf.abs(output)), tf.mean(tf.cast(tf.equal(output, 0), 'float32'))]), unitMaxAbs]);
            }));
          },
        }, values);
        const top = tf.max(tf.softmax(logits), 1);
        const saturated = tf.greater(top, SATURATED_SOFTMAX);
        const wrong = tf.notEqual(tf.argMax(logits, 1), labels);
        const { mean, variance } = tf.moments(logits);
        rows.push(tf.stack([
          mean, variance, tf.max(tf.abs(logits)), tf.sum(top), tf.sum(tf.cast(saturated, 'float32')), tf.sum(tf.cast(tf.logicalAnd(saturated, wrong), 'float32')),
        ]));
        elements.push(logits.size);
        return tf.concat(rows);
      });
      const flat = flatTensor.dataSync() as Float32Array;
      flatTensor.dispose();
      let at = 0;
      units.forEach((unitCount, i) => {
        (layerChunks[i] ??= []).push({
          elements: elements[i]!, mean: flat[at]!, variance: flat[at + 1]!, maxAbs: flat[at + 2]!, zeroFraction: flat[at + 3]!,
          unitMaxAbs: flat.slice(at + 4, at + 4 + unitCount),
        });
        at += 4 + unitCount;
      });
      logitChunks.push({
        elements: elements[units.length]!, mean: flat[at]!, variance: flat[at + 1]!, maxAbs: flat[at + 2]!,
        topSum: flat[at + 3]!, saturated: flat[at + 4]!, confidentlyWrong: flat[at + 5]!,
      });
    }
  } finally {
    if (!weights) tf.dispose([...values]);
  }
  const layers: LayerActivationStats[] = names.map((n, i) => {
    const chunks = layerChunks[i]!;
    const total = chunks.reduce((sum, c) => sum + c.elements, 0);
    const unitCount = chunks[0]!.unitMaxAbs.length;
    let dead = 0;
    for (let u = 0; u < unitCount; u++) if (chunks.every((c) => c.unitMaxAbs[u] === 0)) dead += 1;
    const { mean, variance } = combinedMoments(chunks);
    return {
      ...n, mean, std: Math.sqrt(variance), maxAbs: Math.max(...chunks.map((c) => c.maxAbs)),
      zeroFraction: chunks.reduce((sum, c) => sum + c.elements * c.zeroFraction, 0) / total, deadFraction: dead / unitCount,
    };
  });
  const sum = (pick: (c: typeof logitChunks[number]) => number) => logitChunks.reduce((total, c) => total + pick(c), 0);
  return {
    step,
    probeExamples: count,
    layers,
    logits: {
      std: Math.sqrt(combinedMoments(logitChunks).variance), maxAbs: Math.max(...logitChunks.map((c) => c.maxAbs)),
      meanMaxSoftmax: sum((c) => c.topSum) / count, saturatedFraction: sum((c) => c.saturated) / count, confidentlyWrongFraction: sum((c) => c.confidentlyWrong) / count,
    },
  };
}
