// The ResNet Lab webview panel: HTML with a strict CSP, snapshots down (throttled, complete),
// validated intents up. One panel at a time; restored after a window reload by the serializer.
import * as vscode from 'vscode';
import { parseWebviewToHost, type HostToWebviewMessage, type WebviewToHostMessage } from '../../shared/webviewProtocol';
import { errorFirstLine } from '../../shared/errorMessage';
import { COMMANDS, PANEL_VIEW_TYPE } from '../commandIds';
import { backgroundTrainingNotice } from '../runNotifications';
import type { TrainingSession } from '../session/trainingSession';
import { openExtensionSettings, resolveSettings, SETTINGS_SECTION } from '../settings';
import { SnapshotThrottle } from './snapshotThrottle';
import type { TransientNotifications } from '../transientNotifications';
import { createNonce, webviewHtml } from './webviewHtml';

const PANEL_COMMAND_IDS = { train: COMMANDS.train, stop: COMMANDS.stop, resume: COMMANDS.resume, evaluateTest: COMMANDS.evaluateTest } as const;

export class TrainingPanel implements vscode.Disposable {
  private static current: TrainingPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly snapshots = new SnapshotThrottle(() => this.post({ type: 'snapshot', snapshot: this.session.snapshot, nextRun: resolveSettings() }));
  private disposed = false;

  static show(extensionUri: vscode.Uri, session: TrainingSession, log: vscode.LogOutputChannel, notices: TransientNotifications): TrainingPanel {
    if (TrainingPanel.current) {
      TrainingPanel.current.panel.reveal(undefined, true);
      return TrainingPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'ResNet Lab', { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, TrainingPanel.webviewOptions(extensionUri));
    TrainingPanel.current = new TrainingPanel(panel, extensionUri, session, log, notices);
    return TrainingPanel.current;
  }

  /** Restores a panel VS Code kept across a window reload. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, session: TrainingSession, log: vscode.LogOutputChannel, notices: TransientNotifications): void {
    TrainingPanel.current?.replace();
    panel.webview.options = TrainingPanel.webviewOptions(extensionUri);
    TrainingPanel.current = new TrainingPanel(panel, extensionUri, session, log, notices);
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
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidDispose(() => this.onClosed()),
    );
    this.disposables.push({ dispose: session.onDidChange(() => { if (!this.disposed) this.snapshots.schedule(); }) });
    // The idle panel says what Train would start, so an edited setting must reach it at once.
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SETTINGS_SECTION) && !this.disposed) this.snapshots.schedule();
    }));
    // A "training in the background" notice no longer applies once the panel is back.
    queueMicrotask(() => notices.recheck());
  }

  private post(message: HostToWebviewMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private receive(raw: unknown): void {
    const parsed = parseWebviewToHost(raw);
    if (!parsed.ok) {
      this.log.warn(`dropped a malformed message from the panel: ${parsed.error}`);
      return;
    }
    void this.handle(parsed.message);
  }

  private async handle(message: WebviewToHostMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.snapshots.sendNow();
        break;
      case 'selectBlock':
        try {
          this.post({ type: 'blockDetails', details: await this.session.describeBlock(message.blockId) });
        } catch (error) {
          this.post({ type: 'blockDetailsUnavailable', blockId: message.blockId, reason: (error as Error).message });
        }
        break;
      case 'requestGallery':
        try {
          this.post({ type: 'gallery', requestId: message.requestId, gallery: await this.session.gallery(message.query) });
        } catch (error) {
          this.post({ type: 'galleryUnavailable', requestId: message.requestId, reason: errorFirstLine(error) });
        }
        break;
      case 'runCommand':
        await vscode.commands.executeCommand(PANEL_COMMAND_IDS[message.command]);
        break;
      case 'openSettings':
        await openExtensionSettings();
        break;
      default: {
        const unknown: never = message;
        this.log.warn(`unhandled panel message ${JSON.stringify(unknown)}`);
      }
    }
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
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
