// The panel's New Run form as data: which config fields it shows, how they are pre-filled from the
// settings, and how the typed text becomes a TrainingConfig. The fields are derived from the
// config's own fields, so a field the config gains appears in the form without a second list, and
// every value is checked with checkField/validateConfig: the settings, the CLI and the trainer's
// guard refuse the same values with the same words. Pure (no DOM): the webview renders it, the
// unit tests drive it.
import {
  checkField, INIT_SCHEMES, PRESET_NAMES, PRESETS, TRAINING_SPLIT_IMAGES, USER_BACKENDS, validateConfig,
  type PresetName, type SettingsResult, type TrainingConfig,
} from './trainingConfig';
import { LR_SCHEDULES } from './learningRateSchedule';
import { trainingConfig } from './reportShapes';
import { oneOf, shape, text as textOf, type Check } from './validation';
import type { StartRunMessage } from './webviewProtocol';

export type ConfigField = keyof TrainingConfig;

/** Left to the settings: how often a run reports, validates and checkpoints, and where MNIST is. */
const SETTINGS_ONLY_FIELDS: readonly ConfigField[] = ['logEvery', 'evalEvery', 'checkpointEvery', 'dataDir'];

interface Presentation { label: string; hint: string; options?: readonly string[]; optionLabels?: Readonly<Record<string, string>> }

const PRESENTATION: Partial<Record<ConfigField, Presentation>> = {
  preset: { label: 'Preset', hint: 'Choosing a preset fills in its values (the backend stays).', options: PRESET_NAMES },
  learningRate: { label: 'Learning rate', hint: 'Adam’s step size at its peak (of the convolutions).' },
  lrSchedule: {
    label: 'Learning-rate schedule', hint: 'After the warm-up.', options: LR_SCHEDULES,
    optionLabels: { constant: 'Constant at the peak', cosine: 'Cosine decay to the floor at the last step' },
  },
  warmupSteps: { label: 'Warm-up steps', hint: 'The rate rises linearly to its peak over these steps (0 = none).' },
  lrFloor: { label: 'Learning-rate floor', hint: 'Where the cosine ends, as a fraction of the peak (0–1).' },
  denseLrScale: { label: 'Dense-layer rate scale', hint: 'fc1’s and fc2’s learning rate as a multiple of the convolutions’.' },
  adamEpsilon: { label: 'Adam ε', hint: 'Added to the root of Adam’s second moment (TensorFlow’s default 1e-8).' },
  batchSize: { label: 'Batch size', hint: 'Images per training step.' },
  steps: { label: 'Length', hint: `One epoch is the training split’s ${TRAINING_SPLIT_IMAGES.toLocaleString('en-US')} images; epochs are converted to steps at the batch size above.` },
  init: {
    label: 'Initialisation', hint: 'How the weights start.', options: INIT_SCHEMES,
    optionLabels: { he: 'He-normal weights, zero biases', seed: 'The seed’s: truncated normal σ 0.1, biases 0.1' },
  },
  denseInitScale: { label: 'Dense-layer init scale', hint: 'fc1’s and fc2’s initial weights are drawn with this × the initialisation’s σ.' },
  keepProb: { label: 'Dropout keep probability', hint: 'Share of fc1’s units kept in each training step (1 = no dropout).' },
  labelSmoothing: { label: 'Label smoothing', hint: 'Training targets are (1 − ε) × one-hot + ε/10 (0 = plain one-hot; 0 ≤ ε < 1).' },
  seed: { label: 'Seed', hint: 'Initialisation, data order and dropout.' },
  backend: {
    label: 'Backend', hint: 'Where TensorFlow runs; the GPU build must be installed first.', options: USER_BACKENDS,
    optionLabels: { tensorflow: 'TensorFlow on the CPU', 'tensorflow-gpu': 'TensorFlow on an NVIDIA GPU' },
  },
};

/** The order known fields take; a field the config gains later sits after the learning rate, where a schedule belongs. */
const LEADING_FIELDS: readonly ConfigField[] = ['preset', 'learningRate'];
const TRAILING_FIELDS: readonly ConfigField[] = ['batchSize', 'steps', 'init', 'denseInitScale', 'keepProb', 'labelSmoothing', 'seed', 'backend'];

export interface FormField {
  key: ConfigField;
  label: string;
  hint: string;
  /** choice: one of `options`; number: typed, parsed as a decimal number; text: as typed. */
  control: 'choice' | 'number' | 'text';
  options: readonly string[];
  optionLabels: Readonly<Record<string, string>>;
}

/** "warmupSteps" → "Warmup steps": the label of a field no one has described yet. */
function labelOf(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A config field's name for people (the form's label; the comparison's row heading). */
export function fieldLabel(key: ConfigField): string {
  return PRESENTATION[key]?.label ?? labelOf(key);
}

function formField(key: ConfigField): FormField {
  const presentation = PRESENTATION[key];
  const control = presentation?.options ? 'choice' : typeof PRESETS.default[key] === 'number' ? 'number' : 'text';
  return {
    key, label: fieldLabel(key), hint: presentation?.hint ?? '', control,
    options: presentation?.options ?? [], optionLabels: presentation?.optionLabels ?? {},
  };
}

/** The form's fields, in order: every config field except those left to the settings. */
export const NEW_RUN_FIELDS: readonly FormField[] = (() => {
  const shown = (Object.keys(PRESETS.default) as ConfigField[]).filter((key) => !SETTINGS_ONLY_FIELDS.includes(key));
  const added = shown.filter((key) => !LEADING_FIELDS.includes(key) && !TRAILING_FIELDS.includes(key));
  return [...LEADING_FIELDS, ...added, ...TRAILING_FIELDS].filter((key) => shown.includes(key)).map(formField);
})();

export type LengthUnit = 'steps' | 'epochs';

export interface NewRunFormState {
  /** The config the form was filled from: the fields it does not show go into the run from here. */
  base: TrainingConfig;
  /** Each shown field's text, as typed. */
  text: Record<string, string>;
  /** Whether the length is typed in steps or in epochs of the training split. */
  lengthUnit: LengthUnit;
  epochsText: string;
}

/** Longest text a form box is kept with: far beyond any value a field accepts. */
const MAX_KEPT_TEXT = 200;

/**
 * A form as the webview keeps it while the panel is hidden (vscode.setState). What getState gives
 * back may come from an older version of the page, so it is checked like a message: a valid base
 * config, a text (of any content: it is the user's typing) for exactly the fields shown now.
 */
export const keptNewRunForm: Check = shape({
  base: trainingConfig,
  text: shape(Object.fromEntries(NEW_RUN_FIELDS.map((field) => [field.key, textOf(MAX_KEPT_TEXT)]))),
  lengthUnit: oneOf(['steps', 'epochs'] satisfies LengthUnit[]),
  epochsText: textOf(MAX_KEPT_TEXT),
});

/** The kept form, or null when there is none or it does not pass keptNewRunForm (the form then follows the settings). */
export function restoreNewRunForm(kept: unknown): NewRunFormState | null {
  return kept !== null && kept !== undefined && keptNewRunForm(kept, 'newRunForm') === null ? JSON.parse(JSON.stringify(kept)) as NewRunFormState : null;
}

/** Problems keyed by field (`epochs` for the epochs box); empty when the form is valid. */
export type FormProblems = Partial<Record<ConfigField | 'epochs', string>>;

export interface FormCheck {
  problems: FormProblems;
  /** The run's config when the form is valid, else null. */
  config: TrainingConfig | null;
}

/** Training steps for `epochs` passes over the 55,000-image training split: 1 epoch at batch 64 is 860. */
export function epochsToSteps(epochs: number, batchSize: number): number {
  return Math.ceil((epochs * TRAINING_SPLIT_IMAGES) / batchSize);
}

/** Epochs that `steps` steps cover, to two decimals: 860 at batch 64 is 1. */
export function stepsToEpochs(steps: number, batchSize: number): number {
  return Number(((steps * batchSize) / TRAINING_SPLIT_IMAGES).toFixed(2));
}

/** The form filled with a config: every shown field's value as text. */
export function formFromConfig(config: TrainingConfig, lengthUnit: LengthUnit = 'steps'): NewRunFormState {
  const text = Object.fromEntries(NEW_RUN_FIELDS.map((field) => [field.key, String(config[field.key])]));
  return { base: config, text, lengthUnit, epochsText: String(stepsToEpochs(config.steps, config.batchSize)) };
}

/**
 * The form as the panel opens it: the config Train would start with the current settings, or, when
 * the settings are invalid, the default preset (the panel says why).
 */
export function prefilledForm(nextRun: SettingsResult): NewRunFormState {
  return formFromConfig(nextRun.ok ? nextRun.config : PRESETS.default);
}

/** The form after choosing a preset: the preset's values in every field but the backend (a property of the machine). */
export function choosePreset(form: NewRunFormState, preset: PresetName): NewRunFormState {
  if (!PRESET_NAMES.includes(preset)) return form;
  const keptFromSettings = Object.fromEntries(SETTINGS_ONLY_FIELDS.map((key) => [key, form.base[key]]));
  const filled = formFromConfig({ ...PRESETS[preset], ...keptFromSettings, backend: form.base.backend }, form.lengthUnit);
  if (form.text.backend !== undefined) filled.text.backend = form.text.backend;
  return filled;
}

const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** A number field's text as the value to check: a number when it reads as one, else the text itself, so the message quotes it. */
function parseNumber(text: string): number | string {
  const trimmed = text.trim();
  return DECIMAL.test(trimmed) ? Number(trimmed) : text;
}

function fieldValue(field: FormField, text: string | undefined): unknown {
  if (text === undefined) return undefined;
  return field.control === 'number' ? parseNumber(text) : text;
}

/** Steps the length box stands for, or the problem with it (epochs that are not a positive number, or too many steps). */
function lengthInSteps(form: NewRunFormState, batchSize: unknown): { steps: unknown; problem: string | null } {
  const steps = fieldValue(formField('steps'), form.text.steps);
  if (form.lengthUnit === 'steps') return { steps, problem: checkField('steps', steps) };
  const epochs = parseNumber(form.epochsText);
  if (typeof epochs !== 'number' || !Number.isFinite(epochs) || epochs <= 0) {
    return { steps, problem: `epochs must be a number greater than 0 (got ${typeof epochs === 'string' ? JSON.stringify(epochs) : epochs})` };
  }
  // Without a valid batch size there is nothing to convert with; the batch size's own message says why.
  if (checkField('batchSize', batchSize) !== null) return { steps, problem: null };
  const converted = epochsToSteps(epochs, batchSize as number);
  return { steps: converted, problem: checkField('steps', converted) };
}

/**
 * The fields that change nothing with the form's other values, each with the reason (shown as its
 * hint while the field is disabled): the floor is where a cosine ends, so a constant rate has none.
 */
export function inapplicableFields(form: NewRunFormState): Partial<Record<ConfigField, string>> {
  const inapplicable: Partial<Record<ConfigField, string>> = {};
  if (form.text.lrSchedule === 'constant') inapplicable.lrFloor = 'Not used: the rate stays at its peak after the warm-up, so there is no decay to end at (choose the cosine schedule to set it).';
  return inapplicable;
}

/** Every field checked with the shared validators; the config to run when all pass. */
export function checkNewRunForm(form: NewRunFormState): FormCheck {
  const problems: FormProblems = {};
  const values: Record<string, unknown> = { ...form.base };
  const inapplicable = inapplicableFields(form);
  for (const field of NEW_RUN_FIELDS) {
    if (field.key === 'steps') continue;
    const value = fieldValue(field, form.text[field.key]);
    const problem = checkField(field.key, value);
    // A disabled field cannot be corrected, so it never blocks Run: typed text that is not valid
    // leaves the value the form was filled with (which this run does not use anyway).
    if (inapplicable[field.key] !== undefined) {
      values[field.key] = problem ? form.base[field.key] : value;
      continue;
    }
    values[field.key] = value;
    if (problem) problems[field.key] = problem;
  }
  const length = lengthInSteps(form, values.batchSize);
  values.steps = length.steps;
  if (length.problem) problems[form.lengthUnit === 'epochs' ? 'epochs' : 'steps'] = length.problem;
  if (Object.keys(problems).length > 0) return { problems, config: null };
  // The whole config through the same gate the trainer applies, so the form can never send what it would refuse.
  const whole = validateConfig(values);
  if (whole.length > 0) return { problems: { preset: whole.join('; ') }, config: null };
  return { problems, config: values as unknown as TrainingConfig };
}

/** "1 epoch = 55,000 images = 860 steps at batch 64", or the plain fact when the batch size is not valid yet. */
export function epochNote(form: NewRunFormState): string {
  const images = `${TRAINING_SPLIT_IMAGES.toLocaleString('en-US')} training images`;
  const batchSize = parseNumber(form.text.batchSize ?? '');
  if (checkField('batchSize', batchSize) !== null) return `1 epoch = ${images}.`;
  return `1 epoch = ${images} = ${epochsToSteps(1, batchSize as number).toLocaleString('en-US')} steps at batch ${batchSize}.`;
}

/** What Run sends the extension: the checked config, or null while a field is invalid. */
export function startRunMessage(form: NewRunFormState): StartRunMessage | null {
  const { config } = checkNewRunForm(form);
  return config ? { type: 'startRun', config } : null;
}
