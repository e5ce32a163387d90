// Training configuration: two presets over one architecture, overrides, and validation that
// the CLI, the extension's settings and the trainer's message guard all share.
import { describeValue } from './validation';

export type PresetName = 'default' | 'seed';
export type InitScheme = 'seed' | 'he';
export type BackendName = 'tensorflow' | 'tensorflow-gpu' | 'cpu';

export const PRESET_NAMES: readonly PresetName[] = ['default', 'seed'];
export const INIT_SCHEMES: readonly InitScheme[] = ['seed', 'he'];
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'tensorflow-gpu', 'cpu'];
/** The backends a user picks (settings, the panel's New Run form); the pure-JS cpu backend is for tests. */
export const USER_BACKENDS: readonly BackendName[] = ['tensorflow', 'tensorflow-gpu'];

/** Images in the training split: MNIST's 60,000 minus the 5,000 held out for validation (trainer/mnist). One epoch. */
export const TRAINING_SPLIT_IMAGES = 55_000;

export interface TrainingConfig {
  preset: PresetName;
  /** `seed`: truncated normal σ 0.1 and biases 0.1 (the tutorial). `he`: He-normal, zero biases. */
  init: InitScheme;
  steps: number;
  batchSize: number;
  learningRate: number;
  keepProb: number;
  /** Progress events every this many steps (the seed reports every 100). */
  logEvery: number;
  /** Validation on the held-out 5,000 every this many steps; 0 = only at the end. */
  evalEvery: number;
  /** Checkpoint every this many steps; 0 = only when stopping or finishing. */
  checkpointEvery: number;
  seed: number;
  backend: BackendName;
  /** Folder with the four MNIST IDX files; empty = the embedded copy. */
  dataDir: string;
}

export const PRESETS: Readonly<Record<PresetName, TrainingConfig>> = {
  // The tutorial exactly. It collapses to chance on this network (SEED-MODEL.md); kept so the
  // collapse can be seen and explained, never silently fixed.
  seed: {
    preset: 'seed', init: 'seed', steps: 2000, batchSize: 10, learningRate: 1e-3, keepProb: 0.5,
    logEvery: 100, evalEvery: 500, checkpointEvery: 500, seed: 1, backend: 'tensorflow', dataDir: '',
  },
  // Same architecture, sane initialisation: one epoch of 55,000 images at batch 64.
  default: {
    preset: 'default', init: 'he', steps: 860, batchSize: 64, learningRate: 1e-3, keepProb: 0.5,
    logEvery: 20, evalEvery: 200, checkpointEvery: 200, seed: 1, backend: 'tensorflow', dataDir: '',
  },
};

export type ConfigOverrides = Partial<Omit<TrainingConfig, 'preset'>>;

/** The user's settings resolved: the config a new run would use, or every problem that stops one. */
export type SettingsResult = { ok: true; config: TrainingConfig } | { ok: false; problems: string[] };

/** One rule per numeric field, so every front end rejects the same values with the same words. */
const NUMERIC_RULES: Record<'steps' | 'batchSize' | 'learningRate' | 'keepProb' | 'logEvery' | 'evalEvery' | 'checkpointEvery' | 'seed',
  { integer: boolean; min: number; max: number; minExclusive?: boolean }> = {
  steps: { integer: true, min: 1, max: 10_000_000 },
  batchSize: { integer: true, min: 1, max: 4096 },
  learningRate: { integer: false, min: 0, max: 10, minExclusive: true },
  keepProb: { integer: false, min: 0, max: 1, minExclusive: true },
  logEvery: { integer: true, min: 1, max: 10_000_000 },
  evalEvery: { integer: true, min: 0, max: 10_000_000 },
  checkpointEvery: { integer: true, min: 0, max: 10_000_000 },
  seed: { integer: true, min: 0, max: 2 ** 31 - 1 },
};

export type NumericField = keyof typeof NUMERIC_RULES;
export const NUMERIC_FIELDS = Object.keys(NUMERIC_RULES) as NumericField[];

/** Returns a sentence saying what is wrong with one field's value, or null if it is valid. */
export function checkField(field: keyof TrainingConfig, value: unknown): string | null {
  if (field === 'preset') return PRESET_NAMES.includes(value as PresetName) ? null : `preset must be one of ${PRESET_NAMES.join(', ')} (got ${describeValue(value)})`;
  if (field === 'init') return INIT_SCHEMES.includes(value as InitScheme) ? null : `init must be one of ${INIT_SCHEMES.join(', ')} (got ${describeValue(value)})`;
  if (field === 'backend') return BACKEND_NAMES.includes(value as BackendName) ? null : `backend must be one of ${BACKEND_NAMES.join(', ')} (got ${describeValue(value)})`;
  if (field === 'dataDir') return typeof value === 'string' && value.length <= 4096 ? null : 'dataDir must be a folder path';
  const rule = NUMERIC_RULES[field];
  // describeValue, not JSON.stringify: NaN and Infinity would print as "null", and a huge or
  // deeply nested value would flood the message or overflow the stack.
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${field} must be a number (got ${describeValue(value)})`;
  if (rule.integer && !Number.isInteger(value)) return `${field} must be a whole number (got ${value})`;
  const tooLow = rule.minExclusive ? value <= rule.min : value < rule.min;
  if (tooLow || value > rule.max) return `${field} must be ${rule.minExclusive ? 'greater than' : 'at least'} ${rule.min} and at most ${rule.max} (got ${value})`;
  return null;
}

/** Every problem with a whole config, one sentence each; empty when valid. */
export function validateConfig(config: Record<string, unknown>): string[] {
  const fields = Object.keys(PRESETS.default) as (keyof TrainingConfig)[];
  const problems = fields.map((field) => (Object.hasOwn(config, field) ? checkField(field, config[field]) : `${field} is missing`)).filter((p): p is string => p !== null);
  for (const key of Object.keys(config)) if (!fields.includes(key as keyof TrainingConfig)) problems.push(`unknown setting ${describeValue(key)}`);
  return problems;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid training configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** A preset with overrides applied; throws ConfigError naming every bad value. */
export function resolveConfig(preset: PresetName, overrides: ConfigOverrides = {}): TrainingConfig {
  if (!PRESET_NAMES.includes(preset)) throw new ConfigError([checkField('preset', preset)!]);
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const config = { ...PRESETS[preset], ...defined, preset };
  const problems = validateConfig(config);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
