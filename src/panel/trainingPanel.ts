// The ResNet Lab webview panel: HTML with a strict CSP, snapshots down (throttled, complete),
// validated intents up. One panel at a time; restored after a window reload by the serializer.
import * as vscode from 'vscode';
import { compareRuns, type RunRef } from '../../runStore/compareRuns';
import type { HostToWebviewMessage } from '../../shared/webviewProtocol';
import type { ArchitectureDocuments } from '../architecture/architectureDocuments';
import { COMMANDS, PANEL_VIEW_TYPE } from '../commandIds';
import { backgroundTrainingNotice } from '../runNotifications';
import type { TrainingSession } from '../session/trainingSession';
import { openExtensionSettings, resolveSettings, SETTINGS_SECTION } from '../settings';
import type { TransientNotifications } from '../transientNotifications';
import { PanelMessageHandler } from './panelMessages';
import { SnapshotThrottle } from './snapshotThrottle';
import { createNonce, webviewHtml } from './webviewHtml';

/** How often an open comparison re-reads its runs while one of them trains (here or elsewhere). */
const COMPARISON_REFRESH_MS = 2000;

const PANEL_COMMAND_IDS = { train: COMMANDS.train, stop: COMMANDS.stop, resume: COMMANDS.resume, evaluateTest: COMMANDS.evaluateTest } as const;

export class TrainingPanel implements vscode.Disposable {
  private static current: TrainingPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly snapshots = new SnapshotThrottle(() => this.post({ type: 'snapshot', snapshot: this.session.snapshot, nextRun: resolveSettings() }));
  /** The architecture file being edited, paced like snapshots: typing sends at most four a second. */
  private readonly previews = new SnapshotThrottle(() => this.post({ type: 'architecturePreview', preview: this.architectures.preview }));
  private disposed = false;
  private readonly messages: PanelMessageHandler;
  /** The runs compared in this panel (Compare in the Runs view); null: no comparison. */
  private compared: RunRef[] | null = null;
  private comparisonTimer: NodeJS.Timeout | undefined;

  /** Opens (or reveals) the panel and shows these runs side by side. */
  static compare(extensionUri: vscode.Uri, session: TrainingSession, log: vscode.LogOutputChannel, notices: TransientNotifications, architectures: ArchitectureDocuments, refs: RunRef[]): void {
    TrainingPanel.show(extensionUri, session, log, notices, architectures).setComparison(refs);
  }

  /** Ids of the runs an open comparison shows (kept from the checkpoint retention). */
  static get comparedRunIds(): string[] {
    return TrainingPanel.current?.compared?.map((ref) => ref.id) ?? [];
  }

  /** The comparison is shown again from the runs folders (a run was renamed or deleted, say). */
  static refreshComparison(): void {
    TrainingPanel.current?.postComparison();
  }

  static show(extensionUri: vscode.Uri, session: TrainingSession, log: vscode.LogOutputChannel, notices: TransientNotifications, architectures: ArchitectureDocuments): TrainingPanel {
    if (TrainingPanel.current) {
      TrainingPanel.current.panel.reveal(undefined, true);
      return TrainingPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'ResNet Lab', { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, TrainingPanel.webviewOptions(extensionUri));
    TrainingPanel.current = new TrainingPanel(panel, extensionUri, session, log, notices, architectures);
    return TrainingPanel.current;
  }

  /** Restores a panel VS Code kept across a window reload. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, session: TrainingSession, log: vscode.LogOutputChannel, notices: TransientNotifications,
    architectures: ArchitectureDocuments): void {
    TrainingPanel.current?.replace();
    panel.webview.options = TrainingPanel.webviewOptions(extensionUri);
    TrainingPanel.current = new TrainingPanel(panel, extensionUri, session, log, notices, architectures);
  }

  static get isOpen(): boolean {
    return TrainingPanel.current !== undefined;
  }

  private static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    // Only the bundle folder is reachable from the page.
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly session: TrainingSession,
    private readonly log: vscode.LogOutputChannel,
    private readonly notices: TransientNotifications,
    private readonly architectures: ArchitectureDocuments,
  ) {
    const webview = panel.webview;
    const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', file)).toString();
    webview.html = webviewHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: asset('webview.js'),
      styleUris: [asset('webview.css'), asset('codicon.css')],
      title: 'ResNet Lab',
    });
    this.messages = new PanelMessageHandler({
      sendSnapshot: () => {
        this.snapshots.sendNow();
        this.previews.sendNow();
        if (this.compared) this.postComparison();
      },
      post: (message) => this.post(message),
      describeBlock: (blockId) => this.session.describeBlock(blockId),
      gallery: (query) => this.session.gallery(query),
      insideViews: this.session.insideViews,
      runCommand: (command) => vscode.commands.executeCommand(PANEL_COMMAND_IDS[command]),
      startRun: (config) => vscode.commands.executeCommand(COMMANDS.startRun, config),
      openSettings: () => openExtensionSettings(),
      closeComparison: () => this.setComparison(null),
      warn: (line) => this.log.warn(line),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => void this.messages.receive(raw)),
      panel.onDidDispose(() => this.onClosed()),
    );
    this.disposables.push({ dispose: session.onDidChange(() => { if (!this.disposed) this.snapshots.schedule(); }) });
    this.disposables.push(architectures.onDidChangePreview(() => { if (!this.disposed) this.previews.schedule(); }));
    // The idle panel says what Train would start, so an edited setting must reach it at once.
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SETTINGS_SECTION) && !this.disposed) this.snapshots.schedule();
    }));
    // A "training in the background" notice no longer applies once the panel is back.
    queueMicrotask(() => notices.recheck());
  }

  private setComparison(refs: RunRef[] | null): void {
    this.compared = refs;
    this.postComparison();
  }

  /** Sends the comparison as the runs folders have it now, and re-reads it while a compared run trains. */
  private postComparison(): void {
    clearTimeout(this.comparisonTimer);
    const comparison = this.compared ? compareRuns(this.compared) : null;
    if (this.compared && !comparison) this.compared = null;
    this.post({ type: 'comparison', comparison });
    if (comparison?.runs.some((run) => run.status === 'running')) {
      this.comparisonTimer = setTimeout(() => this.postComparison(), COMPARISON_REFRESH_MS);
    }
  }

  private post(message: HostToWebviewMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private onClosed(): void {
    const replaced = this.disposed;
    this.dispose();
    if (replaced || !this.session.isActive) return;
    // Closing the view need not end a long run; the user decides (Cancel stops it).
    this.notices.show(backgroundTrainingNotice(() => TrainingPanel.isOpen, () => void vscode.commands.executeCommand(COMMANDS.stop)));
  }

  /** Disposes this panel because another takes its place: the user closed nothing. */
  private replace(): void {
    this.dispose();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (TrainingPanel.current === this) TrainingPanel.current = undefined;
    this.snapshots.dispose();
    this.previews.dispose();
    clearTimeout(this.comparisonTimer);
    this.messages.dispose();
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
