// One block's channel activation maps for one image, quantised for the panel: each map becomes
// uint8 with its own [min, max], channels ordered by mean activation (strongest first), and
// channels that are zero everywhere marked dead. One byte per value (base64: 4/3 of that) rather
// than a float spelled out in JSON: a res2a update is ~248 KB (see README, Inside the network).
import * as tf from '@tensorflow/tfjs-core';
import { encodeBase64 } from '../../shared/base64Bytes';
import type { FeatureMapLayer, FeatureMapsReport, ProbeRef } from '../../shared/insideViews';
import type { InsideViewSource } from './insideViewSource';

/** One layer's [channels, height, width] values quantised per map. */
export function quantiseLayer(layerName: string, values: Float32Array, channels: number, height: number, width: number): FeatureMapLayer {
  const size = height * width;
  const stats = Array.from({ length: channels }, (_, c) => {
    let min = Infinity, max = -Infinity, sum = 0;
    for (let i = c * size; i < (c + 1) * size; i++) {
      const v = values[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    return { channel: c, min, max, mean: sum / size };
  });
  // Strongest first; ties (dead channels, all 0) keep channel order so the grid is stable.
  const ordered = [...stats].sort((a, b) => b.mean - a.mean || a.channel - b.channel);
  const maps = new Uint8Array(channels * size);
  const ranges = new Float32Array(channels * 2);
  ordered.forEach(({ channel, min, max }, slot) => {
    ranges[slot * 2] = min;
    ranges[slot * 2 + 1] = max;
    const span = max - min;
    if (span === 0) return;
    for (let i = 0; i < size; i++) maps[slot * size + i] = Math.round(((values[channel * size + i]! - min) / span) * 255);
  });
  return {
    layerName, height, width, channels,
    order: ordered.map((s) => s.channel),
    dead: stats.filter((s) => s.min === 0 && s.max === 0).map((s) => s.channel),
    ranges: encodeBase64(new Uint8Array(ranges.buffer)),
    maps: encodeBase64(maps),
  };
}

/** Feature maps of every spatial layer of `blockId` for `image` ([1, 28, 28, 1]). */
export function computeFeatureMaps(source: InsideViewSource, blockId: string, image: tf.Tensor4D, probe: ProbeRef): FeatureMapsReport {
  if (!source.model.arch.blocks.some((b) => b.id === blockId)) throw new Error(`There is no block "${blockId}".`);
  const names: string[] = [];
  const outputs = tf.tidy(() => {
    const kept: tf.Tensor3D[] = [];
    // Only as far as the block: what comes after it does not change its maps.
    source.model.forwardThrough(image, blockId, {
      observe: (layerName, observedBlock, output) => {
        if (observedBlock !== blockId || output.rank !== 4) return;
        names.push(layerName);
        // [1, h, w, c] → [c, h, w]: each channel's map contiguous.
        kept.push(tf.transpose(tf.squeeze(output, [0]), [2, 0, 1]) as tf.Tensor3D);
      },
    });
    return kept;
  });
  const layers = outputs.map((output, i) => {
    const [channels, height, width] = output.shape;
    return quantiseLayer(names[i]!, output.dataSync() as Float32Array, channels, height, width);
  });
  tf.dispose(outputs);
  return { blockId, step: source.step, probe, layers };
}
