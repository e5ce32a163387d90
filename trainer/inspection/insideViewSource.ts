// What the inside views read from a run: the model as it is now, the trainer's own forward pass
// and the validation split the probe digits come from.
import type * as tf from '@tensorflow/tfjs-core';
import type { MnistSplit } from '../mnist/mnistTypes';
import type { ResNetModel } from '../model/resnetModel';

export interface InsideViewSource {
  readonly model: ResNetModel;
  /** Logits with dropout off: the same pass evaluation uses (the step graph's, on the graph engine). */
  logits(images: tf.Tensor4D): tf.Tensor2D;
  /** The validation split as bytes: the probe digits come from it. */
  readonly validation: MnistSplit;
  readonly step: number;
}
