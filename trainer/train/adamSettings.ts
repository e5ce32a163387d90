// Adam's hyper-parameters and the per-step quantities both implementations derive from t.
import type { ArchitectureSpec } from '../../shared/architecture';
import { CONSTANT_SCHEDULE, learningRateAt, type LearningRateSchedule } from '../../shared/learningRateSchedule';
import { TF_ADAM_EPSILON, type TrainingConfig } from '../../shared/trainingConfig';
import { denseParameterNames } from '../model/parameterSpecs';

export interface AdamSettings {
  /** The learning rate of each update (shared/learningRateSchedule.ts). */
  schedule: LearningRateSchedule;
  /** Parameters trained at the dense rate (fc1's and fc2's); every other one at the convolutions'. */
  denseParameters: ReadonlySet<string>;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** TensorFlow's defaults, which the seed used. */
export const TF_ADAM_DEFAULTS = { beta1: 0.9, beta2: 0.999, epsilon: TF_ADAM_EPSILON } as const;

/** Adam as a run's config asks for it. */
export function adamSettingsFor(config: LearningRateSchedule & Pick<TrainingConfig, 'adamEpsilon'>, arch: ArchitectureSpec): AdamSettings {
  return { ...TF_ADAM_DEFAULTS, schedule: config, denseParameters: denseParameterNames(arch), epsilon: config.adamEpsilon };
}

/** Adam at one constant rate for every parameter, with TensorFlow's other defaults (the seed's optimiser). */
export function constantRateAdam(learningRate: number): AdamSettings {
  return { ...TF_ADAM_DEFAULTS, schedule: { learningRate, steps: 1, ...CONSTANT_SCHEDULE }, denseParameters: new Set() };
}

/** The learning rate of each named parameter at update t (1-based). */
export function parameterLearningRates(settings: AdamSettings, names: readonly string[], t: number): number[] {
  const rates = learningRateAt(settings.schedule, t);
  return names.map((name) => (settings.denseParameters.has(name) ? rates.dense : rates.conv));
}

/**
 * β1^t and β2^t for update number t (1-based). Computed in float64 from t alone, never as a
 * running product, so an uninterrupted and a resumed run agree exactly.
 */
export function betaPowers(settings: Pick<AdamSettings, 'beta1' | 'beta2'>, t: number): { beta1Power: number; beta2Power: number } {
  return { beta1Power: settings.beta1 ** t, beta2Power: settings.beta2 ** t };
}
