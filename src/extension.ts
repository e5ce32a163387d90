// Activation: wires the session (which follows the run's detached trainer) to the commands, the
// status bar, the panel and VS Code's storage. The trainer runs wherever this extension host
// runs — locally, or on the remote machine under Remote-SSH, WSL, Codespaces or code-server.
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { trainerEnvFor } from '../shared/gpuTensorflowBuild';
import { ArchitectureCodeLens } from './architecture/architectureCodeLens';
import { ArchitectureDocuments } from './architecture/architectureDocuments';
import { CONTEXT_KEYS, PANEL_VIEW_TYPE } from './commandIds';
import { registerCommands } from './commands';
import { registerRunsCommands } from './runs/runsCommands';
import { RUNS_VIEW_ID } from './runs/runsCommandIds';
import { RunsTree, type RunItem } from './runs/runsTree';
import { TrainingPanel } from './panel/trainingPanel';
import { showRunNotifications } from './runNotifications';
import { UNATTENDED_GRACE_MS } from '../shared/trainerProtocol';
import { DetachedTrainer } from './session/detachedTrainer';
import { TrainingSession, type RunRecord } from './session/trainingSession';
import { windowTrainers } from './session/windowTrainers';
import { readKeepTraining } from './settings';
import { TrainingStatusBar } from './statusBar';
import { TransientNotifications } from './transientNotifications';

const RUN_RECORD_KEY = 'resnetLab.lastRun';
/** This window's id in its workspace storage: kept across reloads, so it reattaches to its own runs. */
const WINDOW_ID_KEY = 'resnetLab.windowId';
/** How long deactivation waits for an attached child (an inspector) to stop before killing it; runs' trainers are left training. */
const SHUTDOWN_GRACE_MS = 4000;

let session: TrainingSession | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('ResNet Lab', { log: true });
  const trainerScript = vscode.Uri.joinPath(context.extensionUri, 'dist', 'trainer.js').fsPath;
  // The run store lives in the extension's global storage, so every run (and Resume) outlasts a restart.
  const runsRoot = vscode.Uri.joinPath(context.globalStorageUri, 'runs').fsPath;
  let windowId = context.workspaceState.get<string>(WINDOW_ID_KEY);
  if (typeof windowId !== 'string' || windowId === '') {
    windowId = randomUUID();
    void context.workspaceState.update(WINDOW_ID_KEY, windowId);
  }
  session = new TrainingSession(
    windowTrainers(trainerScript, (config) => trainerEnvFor(config.backend, process.env, os.homedir(), vscode.Uri.joinPath(context.extensionUri, 'node_modules').fsPath)),
    {
      get: () => context.globalState.get<RunRecord>(RUN_RECORD_KEY),
      set: (record) => void context.globalState.update(RUN_RECORD_KEY, record),
    },
    runsRoot,
    log,
    Date.now,
    { windowId, graceMs: UNATTENDED_GRACE_MS, keepTraining: () => readKeepTraining(log), attach: (runDir, pid) => DetachedTrainer.attach(runDir, pid) },
  );
  const statusBar = new TrainingStatusBar();
  const activeSession = session;
  const refresh = () => {
    const s = activeSession.snapshot;
    statusBar.update(s);
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.canStop, activeSession.isActive);
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.canResume, !activeSession.isActive && s.canResume);
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.canEvaluate, s.modelLoaded && s.step > 0);
  };
  activeSession.onDidChange(refresh);
  const notices = new TransientNotifications(activeSession);
  showRunNotifications(activeSession, notices, log);
  refresh();
  const architectures = new ArchitectureDocuments();
  registerCommands(context, activeSession, log, notices, architectures);
  // The Runs view: every run of the runs folder; re-read as this window's session changes state or step.
  const runsTree = new RunsTree(activeSession.runs, activeSession.runs);
  const runsView = vscode.window.createTreeView<RunItem>(RUNS_VIEW_ID, { treeDataProvider: runsTree, canSelectMany: true, showCollapseAll: false });
  let lastListed = '';
  activeSession.onDidChange((s) => {
    const key = `${activeSession.currentRunId}:${s.state}:${s.step}`;
    if (key !== lastListed) {
      lastListed = key;
      runsTree.refresh();
    }
  });
  registerRunsCommands(context, activeSession, runsTree, runsView, log, notices, architectures);
  context.subscriptions.push(runsTree, runsView);
  context.subscriptions.push(
    log,
    statusBar,
    notices,
    architectures,
    vscode.languages.registerCodeLensProvider({ pattern: '**/*.resnet.json' }, new ArchitectureCodeLens()),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => TrainingPanel.revive(panel, context.extensionUri, activeSession, log, notices, architectures),
    }),
  );
  log.info(`ResNet Lab activated; runs in ${runsRoot}`);
}

export async function deactivate(): Promise<void> {
  // A run's detached trainer is left training (a reload reattaches; see UNATTENDED_GRACE_MS);
  // an inspector child is stopped or, failing that within the grace, killed.
  await session?.shutdown(SHUTDOWN_GRACE_MS);
  session = undefined;
}
