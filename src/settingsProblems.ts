// Invalid settings before a run: every problem on its own line, and the two ways to fix one the
// Settings UI cannot show (a wrong-type value shows there as an empty field): open the
// settings.json that holds it with the value selected, or reset the invalid ones to default.
import * as vscode from 'vscode';
import { listSettingProblems, type SettingKey, type SettingProblem } from './session/settingsToConfig';
import { settingValueRange } from './session/settingValueRange';

const OPEN_JSON = 'Open settings.json';
const RESET = 'Reset to Default';
/** How long to wait for the settings editor the command opened to reach this extension host. */
const EDITOR_WAIT_MS = 10_000;

type Scope = { target: vscode.ConfigurationTarget; folder?: vscode.WorkspaceFolder };

/** The settings file whose value is in effect: folder, then workspace, then user. */
function scopeOf(key: SettingKey): Scope {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (vscode.workspace.getConfiguration('resnetLab', folder.uri).inspect(key)?.workspaceFolderValue !== undefined) {
      return { target: vscode.ConfigurationTarget.WorkspaceFolder, folder };
    }
  }
  const inspected = vscode.workspace.getConfiguration('resnetLab').inspect(key);
  return inspected?.workspaceValue !== undefined ? { target: vscode.ConfigurationTarget.Workspace } : { target: vscode.ConfigurationTarget.Global };
}

function settingsEditorWith(fullKey: string): vscode.TextEditor | undefined {
  return vscode.window.visibleTextEditors.find((e) => e.document.fileName.endsWith('settings.json') && e.document.getText().includes(`"${fullKey}"`));
}

async function waitForSettingsEditor(fullKey: string): Promise<vscode.TextEditor | undefined> {
  const open = settingsEditorWith(fullKey);
  if (open) return open;
  return new Promise((resolve) => {
    const done = (editor: vscode.TextEditor | undefined) => {
      clearTimeout(timer);
      listener.dispose();
      resolve(editor);
    };
    const listener = vscode.window.onDidChangeVisibleTextEditors(() => {
      const editor = settingsEditorWith(fullKey);
      if (editor) done(editor);
    });
    const timer = setTimeout(() => done(undefined), EDITOR_WAIT_MS);
  });
}

/** Opens the settings.json that sets `key` with its value selected. */
export async function openSettingInJson(key: SettingKey): Promise<void> {
  const fullKey = `resnetLab.${key}`;
  const scope = scopeOf(key);
  if (scope.folder) {
    await vscode.window.showTextDocument(vscode.Uri.joinPath(scope.folder.uri, '.vscode', 'settings.json'));
  } else {
    await vscode.commands.executeCommand(scope.target === vscode.ConfigurationTarget.Workspace ? 'workbench.action.openWorkspaceSettingsFile' : 'workbench.action.openSettingsJson');
  }
  const editor = await waitForSettingsEditor(fullKey);
  const range = editor && settingValueRange(editor.document.getText(), fullKey);
  if (!editor || !range) return;
  const selection = new vscode.Selection(editor.document.positionAt(range.start), editor.document.positionAt(range.end));
  editor.selection = selection;
  editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** Removes each invalid value from the settings file that holds it, so the preset's value applies. */
async function resetToDefault(problems: readonly SettingProblem[]): Promise<void> {
  for (const { key } of problems) {
    const scope = scopeOf(key);
    await vscode.workspace.getConfiguration('resnetLab', scope.folder?.uri).update(key, undefined, scope.target);
  }
}

/** The modal that explains invalid settings, one per line, with the two fixes. */
export async function showSettingsProblems(problems: readonly SettingProblem[], log: vscode.LogOutputChannel): Promise<void> {
  log.warn(`invalid settings: ${problems.map((p) => p.text).join('; ')}`);
  const headline = problems.length === 1 ? `ResNet Lab cannot start: resnetLab.${problems[0]!.key} is invalid.` : `ResNet Lab cannot start: ${problems.length} settings are invalid.`;
  const choice = await vscode.window.showErrorMessage(headline, { modal: true, detail: listSettingProblems(problems) }, OPEN_JSON, RESET);
  if (choice === OPEN_JSON) await openSettingInJson(problems[0]!.key);
  if (choice === RESET) {
    await resetToDefault(problems);
    const keys = problems.map((p) => `resnetLab.${p.key}`).join(', ');
    void vscode.window.showInformationMessage(`ResNet Lab: ${keys} reset to default.`);
  }
}
