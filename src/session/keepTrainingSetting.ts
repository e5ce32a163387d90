// resnetLab.keepTrainingWhenEditorCloses: whether a run whose windows have all gone (the editor
// closed, a remote connection dropped) trains on to its end, or checkpoints and stops after the
// grace period. Read when a run starts or resumes (settings.ts); an invalid value is reported and
// the safe default (stop) applies. No vscode import: unit-tested.

export const KEEP_TRAINING_SETTING = 'keepTrainingWhenEditorCloses';

/** The setting's value, or the reason it cannot be used (not true or false). */
export function keepTrainingSetting(value: unknown): { keepTraining: boolean } | { problem: string } {
  if (value === undefined || value === null) return { keepTraining: false };
  if (typeof value === 'boolean') return { keepTraining: value };
  return { problem: `resnetLab.${KEEP_TRAINING_SETTING} must be true or false (got ${JSON.stringify(value)}); the run will checkpoint and stop when the editor closes` };
}
