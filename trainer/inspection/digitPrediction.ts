// The current weights' softmax for one 28×28 digit, through the trainer's own forward pass.
import * as tf from '@tensorflow/tfjs-core';
import { decodeBase64 } from '../../shared/base64Bytes';
import { DIGIT_SIZE, digitFromBytes } from '../../shared/digitPreprocessing';
import type { DigitPrediction } from '../../shared/insideViews';
import type { InsideViewSource } from './insideViewSource';

/** 784 base64 bytes (already checked by the protocol guard) as a [1, 28, 28, 1] input. */
export function digitTensor(pixels: string): tf.Tensor4D {
  const bytes = decodeBase64(pixels);
  if (!bytes || bytes.length !== DIGIT_SIZE * DIGIT_SIZE) throw new Error('a digit must be 784 bytes');
  return tf.tensor4d(digitFromBytes(bytes), [1, DIGIT_SIZE, DIGIT_SIZE, 1]);
}

export function predictDigit(source: InsideViewSource, pixels: string): DigitPrediction {
  const probabilities = tf.tidy(() => tf.softmax(source.logits(digitTensor(pixels))));
  // A float32 softmax may round a certain class to 1 + 1 ulp; the message carries probabilities in [0, 1].
  const values = Array.from(probabilities.dataSync(), (p) => Math.min(1, Math.max(0, p)));
  probabilities.dispose();
  return { step: source.step, probabilities: values };
}
