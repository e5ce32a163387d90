// The user's resnetLab.* settings: read as VS Code holds them, resolved into the config a new run
// would use. Train validates them before starting; the panel shows what Train would start.
import * as vscode from 'vscode';
import type { SettingsResult } from '../shared/trainingConfig';
import { KEEP_TRAINING_SETTING, keepTrainingSetting } from './session/keepTrainingSetting';
import { configFromSettings, SETTING_FIELDS, type SettingsValues } from './session/settingsToConfig';

export const SETTINGS_SECTION = 'resnetLab';

export function readSettings(): SettingsValues {
  const section = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return Object.fromEntries(Object.keys(SETTING_FIELDS).map((key) => [key, section.get(key)]));
}

/** What Train would start, as the panel shows it: the config, or each problem in words. */
export function resolveSettings(): SettingsResult {
  const check = configFromSettings(readSettings());
  return check.ok ? check : { ok: false, problems: check.problems.map((problem) => problem.text) };
}

/** The Settings editor filtered to this extension's settings. */
export function openExtensionSettings(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', SETTINGS_SECTION);
}

/** resnetLab.keepTrainingWhenEditorCloses for a run starting now; an invalid value is reported and false applies. */
export function readKeepTraining(log: vscode.LogOutputChannel): boolean {
  const setting = keepTrainingSetting(vscode.workspace.getConfiguration(SETTINGS_SECTION).get(KEEP_TRAINING_SETTING));
  if ('keepTraining' in setting) return setting.keepTraining;
  log.warn(setting.problem);
  void vscode.window.showWarningMessage(`ResNet Lab: ${setting.problem}.`);
  return false;
}
