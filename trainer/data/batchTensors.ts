// Batches of an MNIST split as backend tensors. Each split's pixels are scaled to [0, 1] once, as
// the seed's loader did, into one backend tensor that batches are gathered from, so every batch is
// made by TensorFlow in its own aligned memory. (Making each batch as a fresh JS Float32Array,
// 141 MB leaner, let TensorFlow run kernels on JS memory; a unit test aborted once with "Check
// failed: IsAligned()" inside TensorFlow, so the batches are gathered again.)
import * as tf from '@tensorflow/tfjs-core';
import { digitFromBytes } from '../../shared/digitPreprocessing';
import { MNIST_CLASS_COUNT, MNIST_IMAGE_SIDE, type MnistSplit } from '../mnist';

export { PIXEL_VALUE } from '../../shared/digitPreprocessing';

interface SplitTensors {
  images: tf.Tensor4D;
  labels: tf.Tensor1D;
}

/** One pair of backend tensors per split, made on first use and kept while the split lives. */
const splitTensors = new WeakMap<MnistSplit, SplitTensors>();

function tensorsOf(split: MnistSplit): SplitTensors {
  let tensors = splitTensors.get(split);
  if (!tensors) {
    const pixels = digitFromBytes(split.images.subarray(0, split.count * MNIST_IMAGE_SIDE * MNIST_IMAGE_SIDE));
    tensors = tf.tidy(() => ({
      images: tf.keep(tf.tensor4d(pixels, [split.count, MNIST_IMAGE_SIDE, MNIST_IMAGE_SIDE, 1])),
      labels: tf.keep(tf.tensor1d(Int32Array.from(split.labels.subarray(0, split.count)), 'int32')),
    }));
    splitTensors.set(split, tensors);
  }
  return tensors;
}

/** The images at `indices` as a [n, 28, 28, 1] float32 tensor; the caller disposes it. */
export function imageBatch(split: MnistSplit, indices: ArrayLike<number>): tf.Tensor4D {
  return tf.tidy(() => tf.gather(tensorsOf(split).images, tf.tensor1d(Int32Array.from(indices), 'int32')));
}

/** The labels at `indices` one-hot, [n, 10] float32; the caller disposes it. */
export function oneHotBatch(split: MnistSplit, indices: ArrayLike<number>): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(labelBatch(split, indices), MNIST_CLASS_COUNT), 'float32') as tf.Tensor2D);
}

/** The labels at `indices` as int32 class numbers; the caller disposes it. */
export function labelBatch(split: MnistSplit, indices: ArrayLike<number>): tf.Tensor1D {
  return tf.tidy(() => tf.gather(tensorsOf(split).labels, tf.tensor1d(Int32Array.from(indices), 'int32')));
}

/** Indices start … start + count − 1: a contiguous run of examples (evaluation, the probe batch). */
export function exampleRange(start: number, count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => start + i);
}
