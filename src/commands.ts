// The extension's commands: each turns a user intent into a session call and explains, in a
// notification, anything that stops it (invalid settings, a run already going, nothing to resume).
import * as vscode from 'vscode';
import { errorMessage } from '../shared/errorMessage';
import { COMMANDS } from './commandIds';
import { installGpuSupport } from './installGpuSupport';
import { exportModelCommand } from './export/exportModelCommand';
import { TrainingPanel } from './panel/trainingPanel';
import { configFromSettings } from './session/settingsToConfig';
import type { TrainingSession } from './session/trainingSession';
import { readSettings } from './settings';

export function registerCommands(context: vscode.ExtensionContext, session: TrainingSession, log: vscode.LogOutputChannel): void {
  const showPanel = () => TrainingPanel.show(context.extensionUri, session, log);
  const failWith = (action: string) => (error: unknown) => {
    const message = errorMessage(error);
    log.error(`${action}: ${message}`);
    void vscode.window.showErrorMessage(`ResNet Lab: ${message}`);
  };

  const train = async () => {
    const settings = configFromSettings(readSettings());
    if (!settings.ok) {
      log.warn(`invalid settings: ${settings.problems.join('; ')}`);
      const choice = await vscode.window.showErrorMessage(`ResNet Lab cannot start: ${settings.problems.join('; ')}`, 'Open Settings');
      if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'resnetLab');
      return;
    }
    showPanel();
    try {
      session.start(settings.config);
    } catch (error) {
      failWith('start')(error);
    }
  };

  const resume = () => {
    showPanel();
    try {
      session.resume();
    } catch (error) {
      failWith('resume')(error);
    }
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

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.train, train),
    vscode.commands.registerCommand(COMMANDS.stop, () => session.stop()),
    vscode.commands.registerCommand(COMMANDS.resume, resume),
    vscode.commands.registerCommand(COMMANDS.showPanel, showPanel),
    vscode.commands.registerCommand(COMMANDS.evaluateTest, evaluateTest),
    vscode.commands.registerCommand(COMMANDS.installGpuSupport, () => installGpuSupport(context.extensionUri, log)),
    vscode.commands.registerCommand(COMMANDS.exportModel, exportModelCommand(context, session, log)),
  );
}
