// The learning rate of every Adam update, defined once for every step engine (the graph's fed
// rates, the eager optimisers): a linear warm-up, then constant or a cosine decay to a floor, with
// the dense layers (fc1, fc2) at their own multiple of the convolutions' rate. A pure function of
// the config and the update number t, so a stopped and resumed run follows the same curve.
import type { TrainingConfig } from './trainingConfig';

export type LrScheduleName = 'constant' | 'cosine';
export const LR_SCHEDULES: readonly LrScheduleName[] = ['constant', 'cosine'];

/** The config fields the learning rate depends on. */
export type LearningRateSchedule = Pick<TrainingConfig, 'learningRate' | 'lrSchedule' | 'warmupSteps' | 'lrFloor' | 'denseLrScale' | 'steps'>;

/** The schedule levers switched off: Adam at one constant rate for every layer, as the seed trains. */
export const CONSTANT_SCHEDULE = { lrSchedule: 'constant', warmupSteps: 0, lrFloor: 0, denseLrScale: 1 } as const satisfies Partial<LearningRateSchedule>;

/** Learning rates of one update: the convolutions' and the dense layers'. */
export interface GroupLearningRates {
  conv: number;
  dense: number;
}

/**
 * The rates of update number t (1-based, Adam's t). Warm-up rises linearly to the peak over
 * `warmupSteps` updates (t/warmupSteps of it); `cosine` then falls as half a cosine from the peak
 * at the end of warm-up to `lrFloor`×peak at update `steps`. With the levers off this returns
 * `learningRate` itself for both groups, so such runs keep their exact numbers.
 */
export function learningRateAt(schedule: LearningRateSchedule, t: number): GroupLearningRates {
  const peak = schedule.learningRate;
  let rate = peak;
  if (t <= schedule.warmupSteps) {
    rate = (peak * t) / schedule.warmupSteps;
  } else if (schedule.lrSchedule === 'cosine') {
    const decaySteps = Math.max(1, schedule.steps - schedule.warmupSteps);
    const progress = Math.min(1, (t - schedule.warmupSteps) / decaySteps);
    const floor = peak * schedule.lrFloor;
    rate = floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }
  return { conv: rate, dense: schedule.denseLrScale === 1 ? rate : rate * schedule.denseLrScale };
}

/** For messages: the schedule in a few words, e.g. "1e-3, 100 warm-up steps, cosine to 0, dense ×0.1". */
export function describeSchedule(schedule: Omit<LearningRateSchedule, 'steps'>): string {
  const parts = [`${schedule.learningRate}`];
  if (schedule.warmupSteps > 0) parts.push(`${schedule.warmupSteps} warm-up steps`);
  if (schedule.lrSchedule === 'cosine') parts.push(`cosine to ${schedule.lrFloor === 0 ? '0' : `${schedule.lrFloor}×`}`);
  if (schedule.denseLrScale !== 1) parts.push(`dense ×${schedule.denseLrScale}`);
  return parts.join(', ');
}
