// Adam's hyper-parameters and the per-step quantities both implementations derive from t.
export interface AdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** TensorFlow's defaults, which the seed used. */
export const TF_ADAM_DEFAULTS = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

/**
 * β1^t and β2^t for update number t (1-based). Computed in float64 from t alone, never as a
 * running product, so an uninterrupted and a resumed run agree exactly.
 */
export function betaPowers(settings: AdamSettings, t: number): { beta1Power: number; beta2Power: number } {
  return { beta1Power: settings.beta1 ** t, beta2Power: settings.beta2 ** t };
}
