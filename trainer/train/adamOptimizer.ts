// Adam (see adam.ts) as eager tfjs ops on tfjs VariableParameterStore: runs on any backend, but costs about
// a dozen full passes over every parameter per step.
import * as tf from '@tensorflow/tfjs-core';
import { VariableParameterStore } from '../model/variableParameterStore';
import type { Adam } from './adam';
import { betaPowers, parameterLearningRates, type AdamSettings } from './adamSettings';

export class AdamOptimizer implements Adam {
  readonly m: VariableParameterStore;
  readonly v: VariableParameterStore;
  iteration = 0;

  constructor(private readonly params: VariableParameterStore, private readonly settings: AdamSettings) {
    const zeros = () => params.variables.map((p) => tf.zerosLike(p));
    this.m = new VariableParameterStore(params.names.map((n) => `${n}/adam_m`), zeros());
    this.v = new VariableParameterStore(params.names.map((n) => `${n}/adam_v`), zeros());
  }

  apply(gradients: readonly tf.Tensor[]): void {
    const { beta1, beta2, epsilon } = this.settings;
    const t = this.iteration + 1;
    const { beta1Power, beta2Power } = betaPowers(this.settings, t);
    const learningRates = parameterLearningRates(this.settings, this.params.names, t);
    tf.tidy(() => {
      this.params.variables.forEach((param, i) => {
        const stepSize = (learningRates[i]! * Math.sqrt(1 - beta2Power)) / (1 - beta1Power);
        const g = gradients[i]!;
        const m = tf.add(tf.mul(this.m.variable(i), beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(this.v.variable(i), beta2), tf.mul(tf.square(g), 1 - beta2));
        this.m.assign(i, m);
        this.v.assign(i, v);
        param.assign(tf.sub(param, tf.mul(tf.div(m, tf.add(tf.sqrt(v), epsilon)), stepSize)));
      });
    });
    this.iteration = t;
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}
