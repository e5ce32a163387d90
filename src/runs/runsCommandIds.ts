// The Runs view's ids, matching package.json's contributes (views, commands, menus).
export const RUNS_VIEW_ID = 'resnetLab.runs';

export const RUNS_COMMANDS = {
  refresh: 'resnetLab.runs.refresh',
  open: 'resnetLab.runs.open',
  resume: 'resnetLab.runs.resume',
  compare: 'resnetLab.runs.compare',
  rename: 'resnetLab.runs.rename',
  delete: 'resnetLab.runs.delete',
  revealFolder: 'resnetLab.runs.revealFolder',
  copyCliCommand: 'resnetLab.runs.copyCliCommand',
  openRunsFolder: 'resnetLab.runs.openRunsFolder',
  showOwnRuns: 'resnetLab.runs.showOwnRuns',
} as const;

export const RUNS_CONTEXT_KEYS = {
  /** The Runs view shows a folder opened with Open Runs Folder…, not this window's runs. */
  foreignRunsFolder: 'resnetLab.foreignRunsFolder',
} as const;
