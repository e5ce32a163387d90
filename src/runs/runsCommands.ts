// The Runs view's commands: Open, Resume, Compare, Rename, Delete (after a modal confirmation),
// Reveal Folder, Copy CLI Command, Open Runs Folder…, and going back to this window's runs.
// Each explains in one notification anything that stops it (a run trained elsewhere, say).
import * as vscode from 'vscode';
import { RunStore } from '../../runStore/runStore';
import { trainCommandFor } from '../../shared/cliFlags';
import { errorMessage } from '../../shared/errorMessage';
import { MAX_COMPARED_RUNS } from '../../shared/runComparison';
import { runDisplayName } from '../../shared/runName';
import type { ArchitectureDocuments } from '../architecture/architectureDocuments';
import { TrainingPanel } from '../panel/trainingPanel';
import { SessionBusyError, type TrainingSession } from '../session/trainingSession';
import type { TransientNotifications } from '../transientNotifications';
import { RUNS_COMMANDS, RUNS_CONTEXT_KEYS } from './runsCommandIds';
import { protectOpenRuns } from './retention';
import type { RunItem, RunsTree } from './runsTree';

const MAX_NAME_LENGTH = 200;

export function registerRunsCommands(
  context: vscode.ExtensionContext, session: TrainingSession, tree: RunsTree, view: vscode.TreeView<RunItem>,
  log: vscode.LogOutputChannel, notices: TransientNotifications, architectures: ArchitectureDocuments,
): void {
  const showPanel = () => TrainingPanel.show(context.extensionUri, session, log, notices, architectures);
  const fail = (action: string) => (error: unknown) => {
    log.error(`${action}: ${errorMessage(error)}`);
    void vscode.window.showErrorMessage(`ResNet Lab: ${errorMessage(error)}`);
  };
  /** The item a command was run on: its argument (context menu, inline), else the view's selection. */
  const target = (item?: RunItem): RunItem | undefined => item ?? view.selection[0];
  protectOpenRuns(() => TrainingPanel.comparedRunIds);

  const compare = (item?: RunItem, selected?: readonly RunItem[]) => {
    // A context-menu click on one of several selected runs passes them all.
    const items = selected && selected.length > 0 ? selected : view.selection.length > 0 ? view.selection : item ? [item] : [];
    if (items.length === 0) {
      void vscode.window.showInformationMessage('ResNet Lab: select two or more runs in the Runs view (Ctrl/Cmd-click), then Compare.');
      return;
    }
    if (items.length > MAX_COMPARED_RUNS) void vscode.window.showWarningMessage(`ResNet Lab: a comparison shows at most ${MAX_COMPARED_RUNS} runs; the first ${MAX_COMPARED_RUNS} selected are compared.`);
    TrainingPanel.compare(context.extensionUri, session, log, notices, architectures, items.slice(0, MAX_COMPARED_RUNS).map((i) => ({ store: i.store, id: i.run.id })));
  };

  const open = (item?: RunItem) => {
    const chosen = target(item);
    if (!chosen) return;
    // A run another window's detached trainer trains is watched in the panel (session.open
    // attaches to it); one a terminal or another machine trains, in a live comparison of that one run.
    if (chosen.run.lockedElsewhere && !chosen.run.attachable) {
      compare(chosen, [chosen]);
      return;
    }
    try {
      session.open(chosen.run.id, chosen.store);
      showPanel();
    } catch (error) {
      if (error instanceof SessionBusyError) {
        void vscode.window.showInformationMessage('ResNet Lab: this window is training another run; the panel shows it until it ends. Compare shows both side by side.', 'Compare').then((choice) => {
          if (choice === 'Compare' && session.currentRunId) compare(undefined, [chosen]);
        });
        return;
      }
      fail('open run')(error);
    }
  };

  const resume = (item?: RunItem) => {
    const chosen = target(item);
    if (!chosen) return;
    try {
      session.resume(chosen.run.id, chosen.store);
      showPanel();
    } catch (error) {
      fail('resume run')(error);
    }
    tree.refresh();
  };

  const rename = async (item?: RunItem) => {
    const chosen = target(item);
    if (!chosen) return;
    const name = await vscode.window.showInputBox({
      title: 'Rename Run', value: runDisplayName(chosen.run.manifest), prompt: 'Empty: the name generated from what differs from its preset',
      validateInput: (value) => (value.length > MAX_NAME_LENGTH ? `At most ${MAX_NAME_LENGTH} characters (this is ${value.length}).` : null),
    });
    if (name === undefined) return;
    try {
      chosen.store.rename(chosen.run.id, name.trim() === '' ? null : name.trim());
    } catch (error) {
      fail('rename run')(error);
    }
    tree.refresh();
    TrainingPanel.refreshComparison();
  };

  const remove = async (item?: RunItem, selected?: readonly RunItem[]) => {
    const items = selected && selected.length > 1 ? selected : [target(item)].filter((i): i is RunItem => i !== undefined);
    if (items.length === 0) return;
    const what = items.length === 1 ? `run "${runDisplayName(items[0]!.run.manifest)}"` : `${items.length} runs`;
    const choice = await vscode.window.showWarningMessage(`Delete ${what}?`, {
      modal: true, detail: 'Its folder goes: run.json, the whole history and the checkpoints. It cannot be resumed, compared or exported afterwards.',
    }, 'Delete');
    if (choice !== 'Delete') return;
    for (const i of items) {
      try {
        if (session.currentRunId === i.run.id && session.isActive) throw new Error('This window is training that run: stop it first.');
        i.store.delete(i.run.id);
        session.forget(i.run.id);
        log.info(`deleted run ${i.run.id} (${i.run.dir})`);
      } catch (error) {
        fail('delete run')(error);
      }
    }
    tree.refresh();
    TrainingPanel.refreshComparison();
  };

  const revealFolder = async (item?: RunItem) => {
    const chosen = target(item);
    if (!chosen) return;
    const uri = vscode.Uri.file(chosen.run.dir);
    // On a remote host (SSH, WSL, code-server) there is no local file manager to show it in.
    if (vscode.env.remoteName === undefined && vscode.env.uiKind === vscode.UIKind.Desktop) {
      await vscode.commands.executeCommand('revealFileInOS', uri);
      return;
    }
    const choice = await vscode.window.showInformationMessage(`ResNet Lab: run folder ${chosen.run.dir}`, 'Copy Path', 'Open run.json');
    if (choice === 'Copy Path') await vscode.env.clipboard.writeText(chosen.run.dir);
    if (choice === 'Open run.json') await vscode.window.showTextDocument(vscode.Uri.joinPath(uri, 'run.json'));
  };

  const copyCliCommand = async (item?: RunItem) => {
    const chosen = target(item);
    if (!chosen) return;
    const command = trainCommandFor(chosen.run.manifest.config);
    await vscode.env.clipboard.writeText(command);
    void vscode.window.showInformationMessage(`ResNet Lab: copied \`${command}\``);
  };

  const showStore = (store: RunStore, foreign: boolean) => {
    tree.show(store);
    view.description = foreign ? store.root : undefined;
    void vscode.commands.executeCommand('setContext', RUNS_CONTEXT_KEYS.foreignRunsFolder, foreign);
  };

  const openRunsFolder = async () => {
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Show Runs', title: 'Open Runs Folder (a runs folder, e.g. a CLI run\'s --runs-dir copied from another machine)' });
    if (!picked?.[0]) return;
    const root = picked[0].fsPath;
    const store = new RunStore(root, ({ entry, problem }) => log.warn(`runs folder ${root}: skipped ${entry}: ${problem}`), Date.now, session.runs.windowId);
    showStore(store, root !== tree.defaultStore.root);
    const count = store.list().length;
    if (count === 0) void vscode.window.showWarningMessage(`ResNet Lab: ${root} holds no runs (a runs folder holds one folder per run, each with a run.json).`);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(RUNS_COMMANDS.refresh, () => tree.refresh()),
    vscode.commands.registerCommand(RUNS_COMMANDS.open, open),
    vscode.commands.registerCommand(RUNS_COMMANDS.resume, resume),
    vscode.commands.registerCommand(RUNS_COMMANDS.compare, compare),
    vscode.commands.registerCommand(RUNS_COMMANDS.rename, rename),
    vscode.commands.registerCommand(RUNS_COMMANDS.delete, remove),
    vscode.commands.registerCommand(RUNS_COMMANDS.revealFolder, revealFolder),
    vscode.commands.registerCommand(RUNS_COMMANDS.copyCliCommand, copyCliCommand),
    vscode.commands.registerCommand(RUNS_COMMANDS.openRunsFolder, openRunsFolder),
    vscode.commands.registerCommand(RUNS_COMMANDS.showOwnRuns, () => showStore(tree.defaultStore, false)),
  );
}
