// The extension's settings → a validated TrainingConfig. An unset (null) setting takes the
// preset's value; any invalid value is reported with the setting's own name, never used.
import * as fs from 'node:fs';
import { checkField, PRESET_NAMES, resolveConfig, USER_BACKENDS, type BackendName, type ConfigOverrides, type PresetName, type TrainingConfig } from '../../shared/trainingConfig';

/** Setting key (under resnetLab.) → config field. */
export const SETTING_FIELDS = {
  preset: 'preset', backend: 'backend', steps: 'steps', batchSize: 'batchSize', learningRate: 'learningRate',
  denseInitScale: 'denseInitScale', lrSchedule: 'lrSchedule', warmupSteps: 'warmupSteps', lrFloor: 'lrFloor', denseLrScale: 'denseLrScale', adamEpsilon: 'adamEpsilon', keepProb: 'keepProb', labelSmoothing: 'labelSmoothing',
  evalEvery: 'evalEvery', logEvery: 'logEvery', checkpointEvery: 'checkpointEvery', seed: 'seed', dataFolder: 'dataDir',
} as const satisfies Record<string, keyof TrainingConfig>;

export type SettingKey = keyof typeof SETTING_FIELDS;
export type SettingsValues = Partial<Record<SettingKey, unknown>>;

/** One invalid setting: its key and a sentence that names it. */
export interface SettingProblem { key: SettingKey; text: string }

/** The settings checked: a config, or each problem with the key it belongs to (to open it at). */
export type SettingsCheck = { ok: true; config: TrainingConfig } | { ok: false; problems: SettingProblem[] };

export function configFromSettings(values: SettingsValues): SettingsCheck {
  const problems: SettingProblem[] = [];
  const preset = (values.preset ?? 'default') as PresetName;
  if (!PRESET_NAMES.includes(preset)) problems.push({ key: 'preset', text: `resnetLab.preset must be one of ${PRESET_NAMES.join(', ')} (got ${JSON.stringify(values.preset)})` });
  const overrides: ConfigOverrides = {};
  for (const [key, field] of Object.entries(SETTING_FIELDS) as [SettingKey, keyof TrainingConfig][]) {
    const value = values[key];
    if (key === 'preset' || value === null || value === undefined || value === '') continue;
    const problem = key === 'backend' && !USER_BACKENDS.includes(value as BackendName)
      ? `backend must be one of ${USER_BACKENDS.join(', ')} (got ${JSON.stringify(value)})`
      : checkField(field, value);
    if (problem) problems.push({ key, text: `resnetLab.${key}: ${problem}` });
    else (overrides as Record<string, unknown>)[field] = value;
  }
  if (typeof overrides.dataDir === 'string' && !(fs.existsSync(overrides.dataDir) && fs.statSync(overrides.dataDir).isDirectory())) {
    problems.push({ key: 'dataFolder', text: `resnetLab.dataFolder: "${overrides.dataDir}" is not a folder (leave it empty to use the embedded MNIST)` });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config: resolveConfig(preset, overrides) };
}

/** The notification's detail: one problem per line. */
export function listSettingProblems(problems: readonly SettingProblem[]): string {
  return problems.map((p) => p.text).join('\n');
}
