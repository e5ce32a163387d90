// Adam (see adam.ts) as TensorFlow's own ResourceApplyAdam kernel: one multithreaded pass per
// parameter that updates the variable, m and v in place, instead of a dozen eager tfjs ops each
// allocating a full-size tensor (fc1's kernel alone is 12.8 M floats). Like the seed's TF1
// optimiser, the kernel forms 1 − β1, 1 − β2 and lr_t in float32 from float32 hyper-parameters,
// so v differs from the portable path's (which forms 1 − β2 in float64) by about 1.3e-5 relative.
import * as tf from '@tensorflow/tfjs-core';
import { nativeBackend, TF_FLOAT, type NativeAttr } from '../model/nativeBackend';
import { ResourceParameterStore } from '../model/resourceParameterStore';
import type { Adam } from './adam';
import { betaPowers, parameterLearningRates, type AdamSettings } from './adamSettings';

export class NativeAdamOptimizer implements Adam {
  readonly m: ResourceParameterStore;
  readonly v: ResourceParameterStore;
  iteration = 0;
  private readonly attrs: NativeAttr[];

  constructor(private readonly params: ResourceParameterStore, private readonly settings: AdamSettings) {
    const zeros = () => params.shapes.map((shape) => tf.zeros([...shape]));
    this.m = new ResourceParameterStore(params.names.map((n) => `${n}/adam_m`), zeros());
    this.v = new ResourceParameterStore(params.names.map((n) => `${n}/adam_v`), zeros());
    const b = nativeBackend().binding;
    this.attrs = [
      { name: 'T', type: b.TF_ATTR_TYPE, value: TF_FLOAT },
      { name: 'use_locking', type: b.TF_ATTR_BOOL, value: false },
      { name: 'use_nesterov', type: b.TF_ATTR_BOOL, value: false },
    ];
  }

  apply(gradients: readonly tf.Tensor[]): void {
    const { beta1, beta2, epsilon } = this.settings;
    const t = this.iteration + 1;
    const { beta1Power, beta2Power } = betaPowers(this.settings, t);
    const learningRates = parameterLearningRates(this.settings, this.params.names, t);
    const backend = nativeBackend();
    tf.tidy(() => {
      // The kernel folds the bias correction into lr itself, from these float32 scalars.
      const [b1Power, b2Power, b1, b2, eps] = [beta1Power, beta2Power, beta1, beta2, epsilon].map((x) => tf.scalar(x, 'float32'));
      // One scalar per distinct rate (two at most: the convolutions' and the dense layers').
      const rateScalars = new Map([...new Set(learningRates)].map((rate) => [rate, tf.scalar(rate, 'float32')]));
      this.params.handles.forEach((handle, i) => {
        const lr = rateScalars.get(learningRates[i]!)!;
        backend.executeMultipleOutputs('ResourceApplyAdam', this.attrs, [handle, this.m.handle(i), this.v.handle(i), b1Power!, b2Power!, lr, b1!, b2!, eps!, gradients[i]!], 0);
      });
    });
    this.iteration = t;
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}
