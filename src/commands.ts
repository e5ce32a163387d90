// The extension's commands: each turns a user intent into a session call and explains, in a
// notification, anything that stops it (invalid settings, a run already going, nothing to
// resume), with the action that applies. Nothing resumable is dropped without asking.
import * as vscode from 'vscode';
import type { ArchitectureSpec } from '../shared/architecture';
import { checkArchitecture, describeArchitectureProblems } from '../shared/architectureCheck';
import { errorMessage } from '../shared/errorMessage';
import { ConfigError, validateConfig, type TrainingConfig } from '../shared/trainingConfig';
import { isRecord } from '../shared/validation';
import { architectureToTrain, newArchitectureFile } from './architecture/architectureCommands';
import type { ArchitectureDocuments } from './architecture/architectureDocuments';
import { COMMANDS } from './commandIds';
import { installGpuSupport } from './installGpuSupport';
import { exportModelCommand } from './export/exportModelCommand';
import { TrainingPanel } from './panel/trainingPanel';
import { configFromSettings } from './session/settingsToConfig';
import { SessionBusyError, type TrainingSession } from './session/trainingSession';
import { readSettings } from './settings';
import { showSettingsProblems } from './settingsProblems';
import { applyRetention } from './runs/retention';
import type { TransientNotifications } from './transientNotifications';

const STOP_TRAINING = 'Stop Training';

export function registerCommands(
  context: vscode.ExtensionContext, session: TrainingSession, log: vscode.LogOutputChannel, notices: TransientNotifications, architectures: ArchitectureDocuments,
): void {
  const showPanel = () => TrainingPanel.show(context.extensionUri, session, log, notices, architectures);
  const failWith = (action: string) => (error: unknown) => {
    const message = errorMessage(error);
    log.error(`${action}: ${message}`);
    if (error instanceof SessionBusyError) {
      // The one thing that applies to a run in the way is stopping it (only while it still runs).
      void vscode.window.showErrorMessage(`ResNet Lab: ${message}`, STOP_TRAINING).then((choice) => {
        if (choice === STOP_TRAINING && session.isActive) session.stop();
      });
      return;
    }
    void vscode.window.showErrorMessage(`ResNet Lab: ${message}`);
  };

  const resume = () => {
    showPanel();
    try {
      session.resume();
    } catch (error) {
      failWith('resume')(error);
    }
  };

  /** The last run can be resumed: the user may have meant that. False: they chose otherwise. */
  const confirmNewRunOverResumable = async (): Promise<boolean> => {
    const step = session.resumeStep;
    if (step === null) return true;
    const total = session.snapshot.totalSteps;
    const choice = await vscode.window.showWarningMessage(
      `The last run can be resumed from step ${step}/${total}. Start a new run instead?`,
      { modal: true, detail: 'Either way the last run stays in the Runs view with its checkpoints, and can be resumed from there later.' },
      'Start New Run', 'Resume Last Run',
    );
    if (choice === 'Resume Last Run') resume();
    return choice === 'Start New Run';
  };

  /**
   * The one way a new run starts, whoever asks (Train, the New Run form, another view): the config
   * is checked again here, a run in the way is named, a resumable run is not dropped unasked.
   * The settings are never written. architecture: the network to train (an architecture
   * file's); none = the seed's. True when the run was started.
   */
  const startRun = async (config: unknown, architecture?: unknown): Promise<boolean> => {
    const problems = isRecord(config) ? validateConfig(config) : ['the configuration must be an object'];
    if (problems.length > 0) {
      failWith('start')(new ConfigError(problems));
      return false;
    }
    const network = architecture === undefined ? undefined : checkArchitecture(architecture);
    if (network && !network.ok) {
      failWith('start')(new Error(`the network cannot be trained: ${describeArchitectureProblems(network.problems)}`));
      return false;
    }
    if (session.isActive) {
      failWith('start')(new SessionBusyError());
      return false;
    }
    if (!(await confirmNewRunOverResumable())) return false;
    showPanel();
    try {
      // The last run stays in the Runs view, resumable: a new run never deletes another.
      session.start(config as unknown as TrainingConfig, network?.ok ? network.spec : null);
    } catch (error) {
      failWith('start')(error);
      return false;
    }
    applyRetention(session, log);
    return true;
  };

  /** A run with the config the settings resolve to, of `architecture` or the seed's network. */
  const trainWithSettings = async (architecture?: ArchitectureSpec) => {
    const settings = configFromSettings(readSettings());
    if (!settings.ok) {
      await showSettingsProblems(settings.problems, log);
      return;
    }
    await startRun(settings.config, architecture);
  };
  const train = () => trainWithSettings();
  /** Train This Architecture (the CodeLens passes the file; the palette means the active editor's). */
  const trainArchitecture = async (uri?: unknown) => {
    const architecture = await architectureToTrain(uri instanceof vscode.Uri ? uri : undefined);
    if (architecture) await trainWithSettings(architecture);
  };

  const evaluateTest = async () => {
    try {
      const evaluation = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'ResNet Lab: evaluating on the 10,000 test images…' },
        () => session.evaluateTest(),
      );
      void vscode.window.showInformationMessage(`ResNet Lab: test accuracy ${(evaluation.accuracy * 100).toFixed(2)}% at step ${evaluation.step}.`);
    } catch (error) {
      failWith('evaluate')(error);
    }
  };

  /** The status bar's click while training: look, or stop; never a stop by accident. */
  const statusBarMenu = async () => {
    const s = session.snapshot;
    const items = [
      { label: '$(preview) Show Panel', detail: 'Watch the run: diagram, curves, inspector', run: showPanel },
      { label: `$(debug-stop) ${STOP_TRAINING}`, detail: 'Finish this step, write a checkpoint and stop; Resume continues from there', run: () => session.stop() },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: `ResNet Lab · step ${s.step}/${s.totalSteps} · ${s.state}`, placeHolder: 'Training continues unless you stop it' });
    // The run may have ended while the menu was open: only a live run can be stopped.
    if (picked && (picked.run === showPanel || session.isActive)) picked.run();
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.train, train),
    vscode.commands.registerCommand(COMMANDS.stop, () => session.stop()),
    vscode.commands.registerCommand(COMMANDS.resume, resume),
    vscode.commands.registerCommand(COMMANDS.showPanel, showPanel),
    vscode.commands.registerCommand(COMMANDS.evaluateTest, evaluateTest),
    vscode.commands.registerCommand(COMMANDS.installGpuSupport, () => installGpuSupport(context.extensionUri, log)),
    vscode.commands.registerCommand(COMMANDS.exportModel, exportModelCommand(context, session, log)),
    vscode.commands.registerCommand(COMMANDS.statusBarMenu, statusBarMenu),
    vscode.commands.registerCommand(COMMANDS.startRun, startRun),
    vscode.commands.registerCommand(COMMANDS.trainArchitecture, trainArchitecture),
    vscode.commands.registerCommand(COMMANDS.newArchitectureFile, newArchitectureFile),
  );
}
