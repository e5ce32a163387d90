// The training CLI's flags for config fields, in one place: the CLI parses them and the
// extension writes them (Copy CLI Command), so a copied command always means the same run.
import { PRESETS, type TrainingConfig } from './trainingConfig';

/** Numeric flags and the config field each sets. */
export const NUMBER_FLAGS = {
  'steps': 'steps', 'batch-size': 'batchSize', 'learning-rate': 'learningRate', 'keep-prob': 'keepProb',
  'dense-init-scale': 'denseInitScale', 'warmup-steps': 'warmupSteps', 'lr-floor': 'lrFloor', 'dense-lr-scale': 'denseLrScale', 'adam-epsilon': 'adamEpsilon', 'label-smoothing': 'labelSmoothing',
  'log-every': 'logEvery', 'eval-every': 'evalEvery', 'checkpoint-every': 'checkpointEvery', 'seed': 'seed',
} as const;

/** Text flags and the config field each sets (besides --preset). */
export const TEXT_FLAGS = { 'lr-schedule': 'lrSchedule', 'init': 'init', 'backend': 'backend', 'data-dir': 'dataDir' } as const;

/** Quotes a shell word only when it needs it (POSIX single quotes). */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `npm run train -- …` command that trains `config`: its preset and every field that
 * differs from the preset, in the CLI's flag order. `extra` flags (e.g. --runs-dir) come last.
 */
export function trainCommandFor(config: TrainingConfig, extra: readonly string[] = []): string {
  const preset = PRESETS[config.preset];
  const words = ['npm', 'run', 'train', '--', '--preset', config.preset];
  for (const [flag, field] of Object.entries(NUMBER_FLAGS)) if (config[field] !== preset[field]) words.push(`--${flag}`, String(config[field]));
  for (const [flag, field] of Object.entries(TEXT_FLAGS)) if (config[field] !== preset[field]) words.push(`--${flag}`, config[field]);
  return [...words, ...extra].map(shellWord).join(' ');
}
