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
} as const;

/** Context keys behind the command palette's `when` clauses. */
export const CONTEXT_KEYS = {
  canStop: 'resnetLab.canStop',
  canResume: 'resnetLab.canResume',
  canEvaluate: 'resnetLab.canEvaluate',
} as const;

export const PANEL_VIEW_TYPE = 'resnetLab.panel';
