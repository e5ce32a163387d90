// Adam in the form TensorFlow 1's AdamOptimizer (the seed's) uses: the bias correction folded
// into the step size, lr_t = lr·sqrt(1−β2^t)/(1−β1^t), then θ −= lr_t·m/(sqrt(v)+ε).
// Its whole state is m, v and the integer t, so a checkpoint restores it exactly (tfjs's own
// Adam rebuilds β^t with pow() on restore, which differs in the last bits from the running product).
import * as tf from '@tensorflow/tfjs-core';

export interface AdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** TensorFlow's defaults, which the seed used. */
export const TF_ADAM_DEFAULTS = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

export class AdamOptimizer {
  readonly m: tf.Variable[];
  readonly v: tf.Variable[];
  /** Updates applied so far (TensorFlow's t). */
  iteration = 0;

  constructor(private readonly params: readonly tf.Variable[], private readonly settings: AdamSettings) {
    this.m = params.map((p) => tf.variable(tf.zerosLike(p), false, `${p.name}/adam_m`));
    this.v = params.map((p) => tf.variable(tf.zerosLike(p), false, `${p.name}/adam_v`));
  }

  /** One update from gradients given in the order of the parameters. */
  apply(gradients: readonly tf.Tensor[]): void {
    const { learningRate, beta1, beta2, epsilon } = this.settings;
    const t = this.iteration + 1;
    // Computed in float64 from t alone, so an uninterrupted and a resumed run agree exactly.
    const stepSize = (learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    tf.tidy(() => {
      this.params.forEach((param, i) => {
        const g = gradients[i]!;
        const m = tf.add(tf.mul(this.m[i]!, beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(this.v[i]!, beta2), tf.mul(tf.square(g), 1 - beta2));
        this.m[i]!.assign(m);
        this.v[i]!.assign(v);
        param.assign(tf.sub(param, tf.mul(tf.div(m, tf.add(tf.sqrt(v), epsilon)), stepSize)));
      });
    });
    this.iteration = t;
  }

  dispose(): void {
    for (const s of [...this.m, ...this.v]) s.dispose();
  }
}
