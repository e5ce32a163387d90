// Export Model…: the current or last run's checkpoint (or a checkpoint folder the user picks, or
// the run chosen in the Runs view) → a TensorFlow SavedModel folder the user names, with a
// progress notification while the export script writes it and one line when something stops it.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../shared/errorMessage';
import { RunItem } from '../runs/runsTree';
import type { TrainingSession } from '../session/trainingSession';
import { runExport } from './runExport';

const CHOOSE_FOLDER = 'Choose Checkpoint Folder…';

async function pickCheckpointFolder(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Export Model: the checkpoint folder to export (it holds checkpoint.rlck)',
    canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Export This Checkpoint',
  });
  return picked?.[0]?.fsPath;
}

/** The last run's checkpoint folder, or one the user picks; undefined if they cancel. */
async function chooseCheckpoint(session: TrainingSession): Promise<string | undefined> {
  const last = session.checkpointDir;
  if (!last) {
    const choice = await vscode.window.showErrorMessage('ResNet Lab: there is no checkpoint to export yet; train a run first, or choose a checkpoint folder.', CHOOSE_FOLDER);
    return choice === CHOOSE_FOLDER ? pickCheckpointFolder() : undefined;
  }
  const lastItem: vscode.QuickPickItem = {
    label: session.isActive ? '$(sync~spin) The running run\'s latest checkpoint' : '$(history) The last run\'s checkpoint',
    detail: last,
  };
  const folderItem: vscode.QuickPickItem = { label: `$(folder-opened) ${CHOOSE_FOLDER}`, detail: 'a checkpoint folder from a headless run (npm run train -- --checkpoint-dir …)' };
  const picked = await vscode.window.showQuickPick([lastItem, folderItem], { title: 'Export Model: which trained network?' });
  if (!picked) return undefined;
  return picked === lastItem ? last : pickCheckpointFolder();
}

export function exportModelCommand(context: vscode.ExtensionContext, session: TrainingSession, log: vscode.LogOutputChannel): () => Promise<void> {
  const exportScript = vscode.Uri.joinPath(context.extensionUri, 'dist', 'export.js').fsPath;
  // From the Runs view's context menu the command gets that run's item; from the palette, nothing.
  return async (item?: unknown) => {
    const run = item instanceof RunItem ? item.run : undefined;
    if (run && !run.hasCheckpoint) {
      void vscode.window.showErrorMessage(`ResNet Lab: run ${run.id} has no checkpoint to export (none was written yet, or retention removed it).`);
      return;
    }
    const checkpointDir = run ? run.checkpointDir : await chooseCheckpoint(session);
    if (!checkpointDir) return;
    const near = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
    const target = await vscode.window.showSaveDialog({
      title: 'Export Model: a new folder for the TensorFlow SavedModel',
      defaultUri: vscode.Uri.joinPath(near, run ? `resnet-lab-savedmodel-${run.id}` : 'resnet-lab-savedmodel'),
      saveLabel: 'Export',
    });
    if (!target) return;
    const out = target.fsPath;
    log.info(`exporting ${checkpointDir} to ${out}`);
    try {
      const report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `ResNet Lab: exporting the model to ${path.basename(out)}…` },
        () => runExport(exportScript, checkpointDir, out),
      );
      if (report.event === 'failed') {
        log.error(`export: ${report.message}`);
        void vscode.window.showErrorMessage(`ResNet Lab: ${report.message}`);
        return;
      }
      if (report.warning) log.warn(report.warning);
      log.info(`exported step ${report.step} from ${report.checkpoint} to ${report.out} (saved_model.pb ${report.bytes} bytes)`);
      void vscode.window.showInformationMessage(
        `ResNet Lab: exported the network at step ${report.step} to ${report.out} (TensorFlow SavedModel, ${(report.bytes / 1e6).toFixed(1)} MB).${report.warning ? ` ${report.warning}` : ''}`);
    } catch (error) {
      log.error(`export: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`ResNet Lab: ${errorMessage(error)}`);
    }
  };
}
