// The architecture file's commands: New Architecture File writes the seed network into the
// workspace as a starting point, with the dropout the settings would train (as the CLI's
// --print-architecture does); Train This Architecture starts a run of a file's network with
// the current settings, or says where the file's problems are.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { seedResNetArchitecture, type ArchitectureSpec } from '../../shared/architecture';
import { ARCHITECTURE_FILE_SUFFIX, architectureFileText, parseArchitectureFile } from '../../shared/architectureFile';
import { PRESETS } from '../../shared/trainingConfig';
import { resolveSettings } from '../settings';
import { isArchitectureDocument } from './architectureDocuments';

const SHOW_PROBLEMS = 'Show Problems';

/** A name in `folder` no file has yet: network.resnet.json, network-2.resnet.json, … */
async function freeFileName(folder: vscode.Uri): Promise<vscode.Uri> {
  for (let n = 1; ; n++) {
    const uri = vscode.Uri.joinPath(folder, `network${n === 1 ? '' : `-${n}`}${ARCHITECTURE_FILE_SUFFIX}`);
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      return uri;
    }
  }
}

/** Writes the seed network (dropout keep as the settings say) to a new file in the workspace (or where the user saves it) and opens it. */
export async function newArchitectureFile(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = folder
    ? await freeFileName(folder)
    : await vscode.window.showSaveDialog({ title: 'New Architecture File', filters: { 'ResNet Lab architecture': ['resnet.json'] }, saveLabel: 'Create' });
  if (!target) return;
  // Invalid settings are reported when a run starts; the file then takes the default preset's value.
  const settings = resolveSettings();
  const keepProb = settings.ok ? settings.config.keepProb : PRESETS.default.keepProb;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(architectureFileText(seedResNetArchitecture(keepProb))));
  await vscode.window.showTextDocument(target, { preview: false });
}

/**
 * The network of an architecture file (as the editor holds it, unsaved edits included), or
 * undefined after telling the user why not: no architecture file, or where its problems are.
 */
export async function architectureToTrain(uri: vscode.Uri | undefined): Promise<ArchitectureSpec | undefined> {
  const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!document || !isArchitectureDocument(document)) {
    void vscode.window.showErrorMessage(`ResNet Lab: open an architecture file (*${ARCHITECTURE_FILE_SUFFIX}) to train it; "ResNet Lab: New Architecture File" writes the seed network as one.`);
    return undefined;
  }
  const result = parseArchitectureFile(document.getText());
  if (result.ok) return result.spec;
  const name = path.basename(document.uri.path);
  const first = result.problems[0]!;
  const count = result.problems.length === 1 ? 'a problem' : `${result.problems.length} problems`;
  void vscode.window.showErrorMessage(`ResNet Lab: ${name} has ${count}, so it cannot be trained. Line ${first.line}: ${first.message}`, SHOW_PROBLEMS).then((choice) => {
    if (choice === SHOW_PROBLEMS) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
  return undefined;
}
