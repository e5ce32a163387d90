// Training configuration: two presets over one architecture, overrides, and validation that
// the CLI, the extension's settings and the trainer's message guard all share.
import { CONSTANT_SCHEDULE, LR_SCHEDULES, type LrScheduleName } from './learningRateSchedule';
import { KEEP_PROB_RANGE } from './layerKinds';
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
  /** fc1's and fc2's initial weights are drawn with denseInitScale × the scheme's σ. */
  denseInitScale: number;
  steps: number;
  batchSize: number;
  /** Adam's peak learning rate (of the convolutions; the dense layers train at denseLrScale times it). */
  learningRate: number;
  /** `constant` after warm-up, or `cosine` decay from the peak to lrFloor×peak at the last step. */
  lrSchedule: LrScheduleName;
  /** Updates over which the rate rises linearly from peak/warmupSteps to the peak; 0 = none. */
  warmupSteps: number;
  /** Where the cosine ends, as a fraction of the peak. */
  lrFloor: number;
  /** fc1's and fc2's learning rate as a multiple of the convolutions'. */
  denseLrScale: number;
  /** Adam's ε (TensorFlow's default 1e-8). */
  adamEpsilon: number;
  keepProb: number;
  /**
   * Label smoothing ε: each training step's targets are (1 − ε) × one-hot + ε / 10, as in
   * TensorFlow's and PyTorch's cross-entropy. 0 = the one-hot labels. Evaluation is unaffected.
   */
  labelSmoothing: number;
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

/** TensorFlow's default Adam ε, which the seed used. */
export const TF_ADAM_EPSILON = 1e-8;

/**
 * The config fields added after the first checkpoints and run.json files were written, at the
 * values that say how those runs trained: one constant rate for every layer, Adam's default ε,
 * the dense layers drawn at the scheme's σ, one-hot targets. Every reader of a stored config fills them from here
 * (withLaterFieldDefaults), so an old run or checkpoint reads as what it was.
 */
export const LATER_FIELD_DEFAULTS = { ...CONSTANT_SCHEDULE, adamEpsilon: TF_ADAM_EPSILON, denseInitScale: 1, labelSmoothing: 0 } as const satisfies Partial<TrainingConfig>;

/** A stored config with the fields it predates filled from LATER_FIELD_DEFAULTS; the fields it has win. */
export function withLaterFieldDefaults(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return { ...LATER_FIELD_DEFAULTS, ...config };
}

export const PRESETS: Readonly<Record<PresetName, TrainingConfig>> = {
  // The tutorial exactly. It collapses to chance on this network (SEED-MODEL.md); kept so the
  // collapse can be seen and explained, never silently fixed.
  seed: {
    preset: 'seed', init: 'seed', denseInitScale: 1, steps: 2000, batchSize: 10, learningRate: 1e-3, ...CONSTANT_SCHEDULE, adamEpsilon: TF_ADAM_EPSILON, keepProb: 0.5, labelSmoothing: 0,
    logEvery: 100, evalEvery: 500, checkpointEvery: 500, seed: 1, backend: 'tensorflow', dataDir: '',
  },
  // Same architecture, a recipe that trains: one epoch of the 55,000 training images at batch 32
  // (1,719 updates), He init with fc1/fc2 drawn at 0.1 × σ, Adam peaking at 2e-3 after a 100-step
  // warm-up and decaying by cosine to 0, fc1/fc2 at a tenth of the rate, no dropout, label
  // smoothing 0.1. Chosen on the
  // validation split among the recipes in the README's table.
  default: {
    preset: 'default', init: 'he', denseInitScale: 0.1, steps: Math.ceil(TRAINING_SPLIT_IMAGES / 32), batchSize: 32,
    learningRate: 2e-3, lrSchedule: 'cosine', warmupSteps: 100, lrFloor: 0, denseLrScale: 0.1, adamEpsilon: TF_ADAM_EPSILON, keepProb: 1, labelSmoothing: 0.1,
    logEvery: 40, evalEvery: 400, checkpointEvery: 400, seed: 1, backend: 'tensorflow', dataDir: '',
  },
};

export type ConfigOverrides = Partial<Omit<TrainingConfig, 'preset'>>;

/** The user's settings resolved: the config a new run would use, or every problem that stops one. */
export type SettingsResult = { ok: true; config: TrainingConfig } | { ok: false; problems: string[] };

/** One rule per numeric field, so every front end rejects the same values with the same words. */
const NUMERIC_RULES: Record<'denseInitScale' | 'steps' | 'batchSize' | 'learningRate' | 'warmupSteps' | 'lrFloor' | 'denseLrScale' | 'adamEpsilon' | 'keepProb' | 'labelSmoothing' | 'logEvery' | 'evalEvery' | 'checkpointEvery' | 'seed',
  { integer: boolean; min: number; max: number; minExclusive?: boolean; maxExclusive?: boolean }> = {
  denseInitScale: { integer: false, min: 0, max: 10, minExclusive: true },
  steps: { integer: true, min: 1, max: 10_000_000 },
  batchSize: { integer: true, min: 1, max: 4096 },
  learningRate: { integer: false, min: 0, max: 10, minExclusive: true },
  warmupSteps: { integer: true, min: 0, max: 10_000_000 },
  lrFloor: { integer: false, min: 0, max: 1 },
  denseLrScale: { integer: false, min: 0, max: 100, minExclusive: true },
  adamEpsilon: { integer: false, min: 0, max: 1, minExclusive: true },
  keepProb: { integer: false, ...KEEP_PROB_RANGE },
  labelSmoothing: { integer: false, min: 0, max: 1, maxExclusive: true },
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
  if (field === 'lrSchedule') return LR_SCHEDULES.includes(value as LrScheduleName) ? null : `lrSchedule must be one of ${LR_SCHEDULES.join(', ')} (got ${describeValue(value)})`;
  if (field === 'backend') return BACKEND_NAMES.includes(value as BackendName) ? null : `backend must be one of ${BACKEND_NAMES.join(', ')} (got ${describeValue(value)})`;
  if (field === 'dataDir') return typeof value === 'string' && value.length <= 4096 ? null : 'dataDir must be a folder path';
  const rule = NUMERIC_RULES[field];
  // describeValue, not JSON.stringify: NaN and Infinity would print as "null", and a huge or
  // deeply nested value would flood the message or overflow the stack.
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${field} must be a number (got ${describeValue(value)})`;
  if (rule.integer && !Number.isInteger(value)) return `${field} must be a whole number (got ${value})`;
  const tooLow = rule.minExclusive ? value <= rule.min : value < rule.min;
  const tooHigh = rule.maxExclusive ? value >= rule.max : value > rule.max;
  if (tooLow || tooHigh) return `${field} must be ${rule.minExclusive ? 'greater than' : 'at least'} ${rule.min} and ${rule.maxExclusive ? 'less than' : 'at most'} ${rule.max} (got ${value})`;
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
