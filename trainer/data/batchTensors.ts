// Batches of an MNIST split as backend tensors. On TensorFlow each split's raw bytes are held once
// as a uint8 tensor in TensorFlow's own memory (the training split: 43 MB, where float32 took
// 172 MB), and each batch is gathered from it and scaled to [0, 1] by TensorFlow ops, so every
// tensor a step sees was allocated by TensorFlow. (Tensors made from JS arrays keep pointing into
// V8's memory, and are released through napi from whichever thread drops them last: a batch made
// in a fresh JS array once aborted inside TensorFlow with "Check failed: IsAligned()".)
// The pure-JS `cpu` backend has no uint8 tensors; there a split is one float32 tensor.
import * as tf from '@tensorflow/tfjs-core';
import { digitFromBytes } from '../../shared/digitPreprocessing';
import { MNIST_CLASS_COUNT, MNIST_IMAGE_SIDE, type MnistSplit } from '../mnist';
import { isNativeBackend, nativeBackend, type NativeAttr } from '../model/nativeBackend';

export { PIXEL_VALUE } from '../../shared/digitPreprocessing';

/** A split on the backend: uint8 bytes in TensorFlow, or (cpu backend) float32 pixels and int32 labels. */
interface SplitTensors {
  /** [count, 28, 28, 1]. */
  images: tf.Tensor;
  /** [count]. */
  labels: tf.Tensor;
  bytes: boolean;
}

/** One pair of backend tensors per split, made on first use and kept while the split lives. */
const splitTensors = new WeakMap<MnistSplit, SplitTensors>();

const typeAttr = (name: string, dtype: number): NativeAttr => ({ name, type: nativeBackend().binding.TF_ATTR_TYPE, value: dtype });

/**
 * `bytes` as a uint8 tensor that TensorFlow allocated: DeepCopy makes its output in TensorFlow's
 * aligned memory, and the tensor over the JS array is deleted at once, here on the JS thread.
 * tfjs has no uint8 dtype and labels the result int32; only the ops in this file, which name their
 * types, ever see it.
 */
function bytesInTensorflow(bytes: Uint8Array, shape: number[]): tf.Tensor {
  const backend = nativeBackend();
  const { binding } = backend;
  const overJsMemory = binding.createTensor(shape, binding.TF_UINT8, bytes);
  try {
    const [copy] = binding.executeOp('DeepCopy', [typeAttr('T', binding.TF_UINT8)], [overJsMemory], 1);
    // Kept: splits are made on first use, which may be inside a caller's tf.tidy.
    return tf.keep(backend.createOutputTensor(copy));
  } finally {
    binding.deleteTensor(overJsMemory);
  }
}

function tensorsOf(split: MnistSplit): SplitTensors {
  let tensors = splitTensors.get(split);
  if (tensors) return tensors;
  const imageShape = [split.count, MNIST_IMAGE_SIDE, MNIST_IMAGE_SIDE, 1];
  const pixelCount = split.count * MNIST_IMAGE_SIDE * MNIST_IMAGE_SIDE;
  if (isNativeBackend()) {
    tensors = {
      images: bytesInTensorflow(split.images.subarray(0, pixelCount), imageShape),
      labels: bytesInTensorflow(split.labels.subarray(0, split.count), [split.count]),
      bytes: true,
    };
  } else {
    const pixels = digitFromBytes(split.images.subarray(0, pixelCount));
    tensors = tf.tidy(() => ({
      images: tf.keep(tf.tensor4d(pixels, imageShape as [number, number, number, number])),
      labels: tf.keep(tf.tensor1d(Int32Array.from(split.labels.subarray(0, split.count)), 'int32')),
      bytes: false,
    }));
  }
  splitTensors.set(split, tensors);
  return tensors;
}

/** Rows `indices` of a split tensor; uint8 stays uint8. Call inside tf.tidy. */
function gatherRows(tensors: SplitTensors, which: 'images' | 'labels', indices: ArrayLike<number>): tf.Tensor {
  const source = tensors[which];
  const idx = tf.tensor1d(Int32Array.from(indices), 'int32');
  if (!tensors.bytes) return tf.gather(source, idx);
  const { binding } = nativeBackend();
  return nativeBackend().executeSingleOutput('GatherV2', [
    typeAttr('Tparams', binding.TF_UINT8), typeAttr('Tindices', binding.TF_INT32), typeAttr('Taxis', binding.TF_INT32),
    { name: 'batch_dims', type: binding.TF_ATTR_INT, value: 0 },
  ], [source, idx, tf.scalar(0, 'int32')]);
}

/** uint8 → `dtype`, exactly (every byte is representable). Call inside tf.tidy. */
function castBytes(bytes: tf.Tensor, dtype: number): tf.Tensor {
  const { binding } = nativeBackend();
  return nativeBackend().executeSingleOutput('Cast', [
    typeAttr('SrcT', binding.TF_UINT8), typeAttr('DstT', dtype), { name: 'Truncate', type: binding.TF_ATTR_BOOL, value: false },
  ], [bytes]);
}

/**
 * The images at `indices` as a [n, 28, 28, 1] float32 tensor; the caller disposes it. From bytes,
 * float32 division by 255 is correctly rounded, so each pixel is PIXEL_VALUE[byte] bit for bit.
 */
export function imageBatch(split: MnistSplit, indices: ArrayLike<number>): tf.Tensor4D {
  return tf.tidy(() => {
    const tensors = tensorsOf(split);
    const rows = gatherRows(tensors, 'images', indices);
    if (!tensors.bytes) return rows as tf.Tensor4D;
    return tf.div(castBytes(rows, nativeBackend().binding.TF_FLOAT), tf.scalar(255, 'float32')) as tf.Tensor4D;
  });
}

/** The labels at `indices` one-hot, [n, 10] float32; the caller disposes it. */
export function oneHotBatch(split: MnistSplit, indices: ArrayLike<number>): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(labelBatch(split, indices), MNIST_CLASS_COUNT), 'float32') as tf.Tensor2D);
}

/**
 * A training step's targets: the one-hot labels, smoothed towards the uniform distribution by ε
 * ((1 − ε) × one-hot + ε / classes, TensorFlow's and PyTorch's definition); ε = 0 gives them as they are.
 */
export function targetBatch(split: MnistSplit, indices: ArrayLike<number>, labelSmoothing: number): tf.Tensor2D {
  if (labelSmoothing === 0) return oneHotBatch(split, indices);
  return tf.tidy(() => tf.add(tf.mul(oneHotBatch(split, indices), 1 - labelSmoothing), labelSmoothing / MNIST_CLASS_COUNT) as tf.Tensor2D);
}

/** The labels at `indices` as int32 class numbers; the caller disposes it. */
export function labelBatch(split: MnistSplit, indices: ArrayLike<number>): tf.Tensor1D {
  return tf.tidy(() => {
    const tensors = tensorsOf(split);
    const rows = gatherRows(tensors, 'labels', indices);
    return (tensors.bytes ? castBytes(rows, nativeBackend().binding.TF_INT32) : rows) as tf.Tensor1D;
  });
}

/** Indices start … start + count − 1: a contiguous run of examples (evaluation, the probe batch). */
export function exampleRange(start: number, count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => start + i);
}
