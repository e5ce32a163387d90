// MNIST stays in memory as the raw bytes it was read as (47 MB for the 60,000 training-file
// images, where float32 would take 188 MB); each batch becomes a float32 tensor only when a step,
// an evaluation or the probe uses it. Pixels are scaled to [0, 1] as the seed's loader did, through
// a table of the 256 possible values, so every pixel is bit-for-bit what a float32 copy of the
// whole split would have held.
import * as tf from '@tensorflow/tfjs-core';
import { MNIST_CLASS_COUNT, MNIST_IMAGE_SIDE, MNIST_PIXELS_PER_IMAGE, type MnistSplit } from '../mnist';

/** PIXEL_VALUE[b] is byte b scaled to [0, 1], rounded to float32 once, as Float32Array storage rounds b / 255. */
export const PIXEL_VALUE = Float32Array.from({ length: 256 }, (_, b) => b / 255);

/** The images at `indices` as a [n, 28, 28, 1] float32 tensor; the caller disposes it. */
export function imageBatch(split: MnistSplit, indices: ArrayLike<number>): tf.Tensor4D {
  const pixels = new Float32Array(indices.length * MNIST_PIXELS_PER_IMAGE);
  for (let n = 0; n < indices.length; n++) {
    const from = indices[n]! * MNIST_PIXELS_PER_IMAGE;
    const to = n * MNIST_PIXELS_PER_IMAGE;
    for (let p = 0; p < MNIST_PIXELS_PER_IMAGE; p++) pixels[to + p] = PIXEL_VALUE[split.images[from + p]!]!;
  }
  return tf.tensor4d(pixels, [indices.length, MNIST_IMAGE_SIDE, MNIST_IMAGE_SIDE, 1]);
}

/** The labels at `indices` one-hot, [n, 10] float32; the caller disposes it. */
export function oneHotBatch(split: MnistSplit, indices: ArrayLike<number>): tf.Tensor2D {
  const oneHot = new Float32Array(indices.length * MNIST_CLASS_COUNT);
  for (let n = 0; n < indices.length; n++) oneHot[n * MNIST_CLASS_COUNT + split.labels[indices[n]!]!] = 1;
  return tf.tensor2d(oneHot, [indices.length, MNIST_CLASS_COUNT]);
}

/** The labels at `indices` as int32 class numbers; the caller disposes it. */
export function labelBatch(split: MnistSplit, indices: ArrayLike<number>): tf.Tensor1D {
  return tf.tensor1d(Int32Array.from(indices, (i) => split.labels[i]!), 'int32');
}

/** Indices start … start + count − 1: a contiguous run of examples (evaluation, the probe batch). */
export function exampleRange(start: number, count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => start + i);
}
