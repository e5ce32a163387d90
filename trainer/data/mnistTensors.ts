// MNIST splits as backend tensors: pixels scaled to [0, 1] as the seed's loader did.
import * as tf from '@tensorflow/tfjs-core';

export interface MnistSplitTensors {
  images: tf.Tensor4D;
  labels: tf.Tensor1D;
  count: number;
}

export interface RawSplit {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export function splitToTensors(split: RawSplit): MnistSplitTensors {
  const pixels = new Float32Array(split.images.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = split.images[i]! / 255;
  return {
    images: tf.tensor4d(pixels, [split.count, 28, 28, 1]),
    labels: tf.tensor1d(Int32Array.from(split.labels), 'int32'),
    count: split.count,
  };
}

export function disposeSplit(split: MnistSplitTensors): void {
  split.images.dispose();
  split.labels.dispose();
}
