// Command and context-key ids, matching package.json's contributes.
export const COMMANDS = {
  train: 'resnetLab.train',
  stop: 'resnetLab.stop',
  resume: 'resnetLab.resume',
  showPanel: 'resnetLab.showPanel',
  evaluateTest: 'resnetLab.evaluateTest',
  installGpuSupport: 'resnetLab.installGpuSupport',
  exportModel: 'resnetLab.exportModel',
  /** The status bar item's click while training: Show Panel / Stop Training (not in the palette). */
  statusBarMenu: 'resnetLab.statusBarMenu',
  /**
   * Starts a run with the TrainingConfig passed as its argument, leaving the settings as they are
   * (not in the palette): the panel's New Run form calls it, and so can any other view that has a
   * config to run. Train is this command with the config the settings resolve to.
   */
  startRun: 'resnetLab.startRun',
  /** Starts a run of an architecture file's network (the CodeLens's file, or the active editor's). */
  trainArchitecture: 'resnetLab.trainArchitecture',
  /** Writes the seed network into the workspace as an architecture file and opens it. */
  newArchitectureFile: 'resnetLab.newArchitectureFile',
} as const;

/** Context keys behind the command palette's `when` clauses. */
export const CONTEXT_KEYS = {
  canStop: 'resnetLab.canStop',
  canResume: 'resnetLab.canResume',
  canEvaluate: 'resnetLab.canEvaluate',
} as const;

export const PANEL_VIEW_TYPE = 'resnetLab.panel';
