// The checkpoint retention, applied by the extension (its one owner: the CLI never deletes)
// whenever this window starts a run: checkpoints of all but the newest N runs go, never those
// of a run being trained anywhere, nor of the run shown or compared in this window.
import * as vscode from 'vscode';
import { DEFAULT_KEEP_CHECKPOINTS } from '../../runStore/runStore';
import type { TrainingSession } from '../session/trainingSession';
import { SETTINGS_SECTION } from '../settings';

export const KEEP_CHECKPOINTS_SETTING = 'keepCheckpointsOfRuns';

/** Run ids open in this window besides the session's own (the comparison's), kept from retention. */
let openElsewhere: () => readonly string[] = () => [];
export function protectOpenRuns(source: () => readonly string[]): void {
  openElsewhere = source;
}

/** The setting's value, or null (with the reason) if it is not a whole number from 0 to 1000. */
export function keepCheckpointsSetting(value: unknown): { keep: number } | { problem: string } {
  if (value === undefined || value === null) return { keep: DEFAULT_KEEP_CHECKPOINTS };
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 1000) return { keep: value };
  return { problem: `resnetLab.${KEEP_CHECKPOINTS_SETTING} must be a whole number from 0 to 1000 (got ${JSON.stringify(value)}); no checkpoints were deleted` };
}

export function applyRetention(session: TrainingSession, log: vscode.LogOutputChannel): void {
  const setting = keepCheckpointsSetting(vscode.workspace.getConfiguration(SETTINGS_SECTION).get(KEEP_CHECKPOINTS_SETTING));
  if ('problem' in setting) {
    log.warn(setting.problem);
    void vscode.window.showWarningMessage(`ResNet Lab: ${setting.problem}.`);
    return;
  }
  const protectedIds = new Set([...openElsewhere(), ...(session.currentRunId ? [session.currentRunId] : [])]);
  try {
    const removed = session.runs.applyRetention(setting.keep, protectedIds);
    if (removed.length > 0) log.info(`retention (keep checkpoints of ${setting.keep} runs): removed the checkpoints of ${removed.join(', ')}`);
  } catch (error) {
    log.error(`retention failed: ${(error as Error).message}`);
  }
}
