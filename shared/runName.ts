// A run's generated name: its preset and what differs from it, e.g. `default · lr 3e-4 · batch 128`.
// Only fields that change what is learned count (not how often it logs, validates or saves).
import { PRESETS, type TrainingConfig } from './trainingConfig';

/** 0.0003 → 3e-4, 0.001 → 1e-3, 0.5 → 0.5: the short form a person would write. */
export function shortNumber(value: number): string {
  if (value !== 0 && Math.abs(value) < 0.01) return value.toExponential().replace(/\.?0+e/, 'e').replace('e-0', 'e-').replace('e+', 'e');
  return String(Number(value.toPrecision(6)));
}

const NAMED_FIELDS: readonly [keyof TrainingConfig, (config: TrainingConfig) => string][] = [
  ['learningRate', (c) => `lr ${shortNumber(c.learningRate)}`],
  ['lrSchedule', (c) => c.lrSchedule],
  ['warmupSteps', (c) => `warm-up ${c.warmupSteps}`],
  ['lrFloor', (c) => `floor ${shortNumber(c.lrFloor)}`],
  ['denseLrScale', (c) => `dense lr ×${shortNumber(c.denseLrScale)}`],
  ['adamEpsilon', (c) => `ε ${shortNumber(c.adamEpsilon)}`],
  ['batchSize', (c) => `batch ${c.batchSize}`],
  ['steps', (c) => `${c.steps} steps`],
  ['init', (c) => `init ${c.init}`],
  ['denseInitScale', (c) => `dense init ×${shortNumber(c.denseInitScale)}`],
  ['keepProb', (c) => `keep ${shortNumber(c.keepProb)}`],
  ['labelSmoothing', (c) => `smoothing ${shortNumber(c.labelSmoothing)}`],
  ['seed', (c) => `seed ${c.seed}`],
  ['backend', (c) => c.backend],
  ['dataDir', (c) => `data ${c.dataDir.split(/[\\/]/).filter(Boolean).pop() ?? c.dataDir}`],
];

export function generatedRunName(config: TrainingConfig): string {
  const preset = PRESETS[config.preset];
  const parts = NAMED_FIELDS.filter(([field]) => config[field] !== preset[field]).map(([, describe]) => describe(config));
  return [config.preset, ...parts].join(' · ');
}

/** The name shown: the user's, else the generated one. */
export function runDisplayName(run: { name: string | null; config: TrainingConfig }): string {
  return run.name ?? generatedRunName(run.config);
}
