// The Runs tree: one item per run of the runs folder shown (this window's, or one opened with
// Open Runs Folder…), newest first, with its status icon, name and figures. It re-reads the
// folder when this window's session changes, and every few seconds while a run is being
// trained elsewhere (another window, a terminal), so such a run can be watched.
import * as vscode from 'vscode';
import type { RunStore, StoredRun } from '../../runStore/runStore';
import { runDisplayName } from '../../shared/runName';
import { runDescription, runTooltip, statusIcon } from './runDescription';
import { RUNS_COMMANDS } from './runsCommandIds';

/** How often the tree re-reads the folder while another process is writing a run in it. */
const WATCH_ELSEWHERE_MS = 3000;

export class RunItem extends vscode.TreeItem {
  constructor(readonly run: StoredRun, readonly store: RunStore) {
    super(runDisplayName(run.manifest), vscode.TreeItemCollapsibleState.None);
    this.id = `${store.root}\u0000${run.id}`;
    this.description = runDescription(run);
    this.tooltip = runTooltip(run);
    this.iconPath = statusIcon(run);
    // Flags the menus' when clauses match (viewItem =~ /resumable/ …).
    const flags = ['run', run.status];
    if (run.hasCheckpoint && run.status !== 'finished' && run.status !== 'running') flags.push('resumable');
    if (run.status !== 'running') flags.push('deletable', 'renamable');
    if (run.hasCheckpoint) flags.push('exportable');
    this.contextValue = flags.join(' ');
    this.command = { command: RUNS_COMMANDS.open, title: 'Open', arguments: [this] };
  }
}

export class RunsTree implements vscode.TreeDataProvider<RunItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private watchTimer: NodeJS.Timeout | undefined;
  private items: RunItem[] = [];

  constructor(private store: RunStore, readonly defaultStore: RunStore) {}

  /** The runs folder shown. */
  get shown(): RunStore {
    return this.store;
  }

  show(store: RunStore): void {
    this.store = store;
    this.refresh();
  }

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(item: RunItem): vscode.TreeItem {
    return item;
  }

  getChildren(parent?: RunItem): RunItem[] {
    if (parent) return [];
    const runs = this.store.list();
    this.items = runs.map((run) => new RunItem(run, this.store));
    this.watchWhileElsewhere(runs.some((run) => run.lockedElsewhere));
    return this.items;
  }

  /** The item of a run id, if listed. */
  itemFor(runId: string): RunItem | undefined {
    return this.items.find((item) => item.run.id === runId);
  }

  private watchWhileElsewhere(needed: boolean): void {
    clearTimeout(this.watchTimer);
    if (needed) this.watchTimer = setTimeout(() => this.refresh(), WATCH_ELSEWHERE_MS);
  }

  dispose(): void {
    clearTimeout(this.watchTimer);
    this.changed.dispose();
  }
}
