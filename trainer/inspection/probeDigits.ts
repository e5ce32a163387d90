// The feature-map strip's validation digits: the first validation image of each class, so the
// strip is the same for every run and every step.
import * as tf from '@tensorflow/tfjs-core';
import { encodeBase64 } from '../../shared/base64Bytes';
import { DIGIT_PIXELS } from '../../shared/digitPreprocessing';
import { DIGIT_CLASSES, type ProbeDigits } from '../../shared/insideViews';
import type { MnistSplitTensors } from '../data/mnistTensors';

/** Index of the first validation image of each class 0–9. */
export function probeIndices(validation: MnistSplitTensors): number[] {
  const labels = validation.labels.dataSync();
  const indices: number[] = [];
  for (let digit = 0; digit < DIGIT_CLASSES; digit++) {
    const index = labels.indexOf(digit);
    if (index < 0) throw new Error(`the validation split has no ${digit}`);
    indices.push(index);
  }
  return indices;
}

/** Probe `digit`'s image as a [1, 28, 28, 1] tensor. */
export function probeImage(validation: MnistSplitTensors, indices: readonly number[], digit: number): tf.Tensor4D {
  return tf.slice(validation.images, [indices[digit]!, 0, 0, 0], [1, 28, 28, 1]);
}

export function probeDigits(validation: MnistSplitTensors, indices: readonly number[]): ProbeDigits {
  const images = new Uint8Array(DIGIT_CLASSES * DIGIT_PIXELS);
  indices.forEach((index, digit) => {
    const image = tf.slice(validation.images, [index, 0, 0, 0], [1, 28, 28, 1]);
    images.set(Uint8Array.from(image.dataSync(), (v) => Math.round(v * 255)), digit * DIGIT_PIXELS);
    image.dispose();
  });
  return { images: encodeBase64(images), indices: [...indices] };
}
