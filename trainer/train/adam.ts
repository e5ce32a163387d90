// Adam in the form TensorFlow 1's AdamOptimizer (the seed's) uses: the bias correction folded
// into the step size, lr_t = lr·sqrt(1−β2^t)/(1−β1^t); m += (g−m)(1−β1); v += (g²−v)(1−β2);
// θ −= lr_t·m/(sqrt(v)+ε). Its whole state is m, v and the integer t, so a checkpoint restores
// it exactly. Two implementations of the same maths, chosen by where the parameters live.
import type * as tf from '@tensorflow/tfjs-core';
import type { ParameterStore, StoredTensors } from '../model/parameterStore';
import { AdamOptimizer } from './adamOptimizer';
import type { AdamSettings } from './adamSettings';
import { NativeAdamOptimizer } from './nativeAdamOptimizer';

export interface Adam {
  /** First and second moments, one per parameter, in the parameters' order. */
  readonly m: StoredTensors;
  readonly v: StoredTensors;
  /** Updates applied so far (TensorFlow's t). */
  iteration: number;
  /**
   * One update from gradients in the parameters' order. Every tensor read from the parameter
   * store must be disposed first, or the native update has to copy each buffer before writing.
   */
  apply(gradients: readonly tf.Tensor[]): void;
  dispose(): void;
}

/** TensorFlow's fused ResourceApplyAdam for resource variables; eager tfjs ops for tfjs Variables. */
export function createAdam(params: ParameterStore, settings: AdamSettings): Adam {
  return params.kind === 'resources' ? new NativeAdamOptimizer(params, settings) : new AdamOptimizer(params, settings);
}
