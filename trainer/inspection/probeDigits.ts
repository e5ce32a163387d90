// The feature-map strip's validation digits: the first validation image of each class, so the
// strip is the same for every run and every step. Read from the split's bytes.
import * as tf from '@tensorflow/tfjs-core';
import { encodeBase64 } from '../../shared/base64Bytes';
import { DIGIT_PIXELS, DIGIT_SIZE, digitFromBytes } from '../../shared/digitPreprocessing';
import { DIGIT_CLASSES } from '../../shared/confusionMatrix';
import type { ProbeDigits } from '../../shared/insideViews';
import type { MnistSplit } from '../mnist/mnistTypes';

/** Index of the first validation image of each class 0–9. */
export function probeIndices(validation: MnistSplit): number[] {
  return Array.from({ length: DIGIT_CLASSES }, (_, digit) => {
    const index = validation.labels.indexOf(digit);
    if (index < 0) throw new Error(`the validation split has no ${digit}`);
    return index;
  });
}

function imageBytes(validation: MnistSplit, index: number): Uint8Array {
  return validation.images.subarray(index * DIGIT_PIXELS, (index + 1) * DIGIT_PIXELS);
}

/** Probe `digit`'s image as a [1, 28, 28, 1] tensor in [0, 1], as training sees it. */
export function probeImage(validation: MnistSplit, indices: readonly number[], digit: number): tf.Tensor4D {
  return tf.tensor4d(digitFromBytes(imageBytes(validation, indices[digit]!)), [1, DIGIT_SIZE, DIGIT_SIZE, 1]);
}

export function probeDigits(validation: MnistSplit, indices: readonly number[]): ProbeDigits {
  const images = new Uint8Array(DIGIT_CLASSES * DIGIT_PIXELS);
  indices.forEach((index, digit) => images.set(imageBytes(validation, index), digit * DIGIT_PIXELS));
  return { images: encodeBase64(images), indices: [...indices] };
}
