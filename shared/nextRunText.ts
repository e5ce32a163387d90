// Words for what the Train button will start, from the resolved settings: the idle panel says
// that no run is going and what Train will do, and the Train button's tooltip says the same.
import { describeSchedule } from './learningRateSchedule';
import type { InitScheme, SettingsResult, TrainingConfig } from './trainingConfig';

/** "He initialisation" or "the seed's σ 0.1 initialisation". */
export function initLabel(init: InitScheme): string {
  return init === 'he' ? 'He initialisation' : 'the seed’s σ 0.1 initialisation';
}

/** "default preset, 860 steps at batch 64, He initialisation, learning rate 0.001" (and its schedule, if any). */
export function runSummary(config: TrainingConfig): string {
  const parts = [
    `${config.preset} preset`,
    `${config.steps.toLocaleString('en-US')} step${config.steps === 1 ? '' : 's'} at batch ${config.batchSize}`,
    initLabel(config.init),
    `learning rate ${describeSchedule(config)}`,
  ];
  if (config.backend !== 'tensorflow') parts.push(`on ${config.backend}`);
  if (config.dataDir) parts.push(`MNIST from ${config.dataDir}`);
  return parts.join(', ');
}

/** What pressing Train does now: start a run with these settings, or nothing until they are fixed. */
export function trainWillDo(nextRun: SettingsResult): string {
  if (nextRun.ok) return `Train starts a new run: ${runSummary(nextRun.config)}.`;
  const count = nextRun.problems.length;
  return `Train cannot start until ${count === 1 ? 'this setting is' : `these ${count} settings are`} fixed: ${nextRun.problems.join('; ')}.`;
}

/** The idle panel's sentence: nothing is running, and what Train would do. */
export function idleText(nextRun: SettingsResult): string {
  return `No training run is going. ${trainWillDo(nextRun)}`;
}
