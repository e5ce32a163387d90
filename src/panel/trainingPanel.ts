// The ResNet Lab webview panel: HTML with a strict CSP, snapshots down (throttled, complete),
// validated intents up. One panel at a time; restored after a window reload by the serializer.
import * as vscode from 'vscode';
import { parseWebviewToHost, type HostToWebviewMessage, type WebviewToHostMessage } from '../../shared/webviewProtocol';
import { COMMANDS, PANEL_VIEW_TYPE } from '../commandIds';
import type { InsideRequestKind } from '../../shared/insideViews';
import { SupersededError } from '../session/insideViewRelay';
import type { TrainingSession } from '../session/trainingSession';
import { createNonce, webviewHtml } from './webviewHtml';

/** Snapshots go out at most this often; the latest always goes out. */
const SNAPSHOT_INTERVAL_MS = 250;

const PANEL_COMMAND_IDS = { train: COMMANDS.train, stop: COMMANDS.stop, resume: COMMANDS.resume, evaluateTest: COMMANDS.evaluateTest } as const;

export class TrainingPanel implements vscode.Disposable {
  private static current: TrainingPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private snapshotTimer: NodeJS.Timeout | undefined;
  private lastSnapshotAt = 0;
  private disposed = false;

  static show(extensionUri: vscode.Uri, session: TrainingSession, log: vscode.LogOutputChannel): TrainingPanel {
    if (TrainingPanel.current) {
      TrainingPanel.current.panel.reveal(undefined, true);
      return TrainingPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'ResNet Lab', { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, TrainingPanel.webviewOptions(extensionUri));
    TrainingPanel.current = new TrainingPanel(panel, extensionUri, session, log);
    return TrainingPanel.current;
  }

  /** Restores a panel VS Code kept across a window reload. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, session: TrainingSession, log: vscode.LogOutputChannel): void {
    TrainingPanel.current?.replace();
    panel.webview.options = TrainingPanel.webviewOptions(extensionUri);
    TrainingPanel.current = new TrainingPanel(panel, extensionUri, session, log);
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
    this.disposables.push({ dispose: session.onDidChange(() => this.scheduleSnapshot()) });
  }

  private post(message: HostToWebviewMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private sendSnapshot(): void {
    this.lastSnapshotAt = Date.now();
    this.post({ type: 'snapshot', snapshot: this.session.snapshot });
  }

  private scheduleSnapshot(): void {
    if (this.disposed || this.snapshotTimer) return;
    const wait = Math.max(0, SNAPSHOT_INTERVAL_MS - (Date.now() - this.lastSnapshotAt));
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = undefined;
      this.sendSnapshot();
    }, wait);
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
        this.sendSnapshot();
        break;
      case 'selectBlock':
        try {
          this.post({ type: 'blockDetails', details: await this.session.describeBlock(message.blockId) });
        } catch (error) {
          this.post({ type: 'blockDetailsUnavailable', blockId: message.blockId, reason: (error as Error).message });
        }
        break;
      case 'runCommand':
        await vscode.commands.executeCommand(PANEL_COMMAND_IDS[message.command]);
        break;
      case 'requestFeatureMaps':
        await this.relay('featureMaps', async () => ({ type: 'featureMaps', maps: await this.session.insideViews.featureMaps(message.blockId, message.probe) }));
        break;
      case 'predictDigit':
        await this.relay('prediction', async () => ({ type: 'digitPrediction', prediction: await this.session.insideViews.predict(message.pixels) }));
        break;
      case 'requestProbeDigits':
        await this.relay('probeDigits', async () => ({ type: 'probeDigits', probes: await this.session.insideViews.probeDigits() }));
        break;
      default: {
        const unknown: never = message;
        this.log.warn(`unhandled panel message ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** Posts an inside-view answer, or why there is none; a superseded request just gives way. */
  private async relay(kind: InsideRequestKind, answer: () => Promise<HostToWebviewMessage>): Promise<void> {
    try {
      this.post(await answer());
    } catch (error) {
      if (error instanceof SupersededError) return;
      this.post({ type: 'insideUnavailable', kind, reason: (error as Error).message });
    }
  }

  private onClosed(): void {
    const replaced = this.disposed;
    this.dispose();
    if (replaced || !this.session.isActive) return;
    // Closing the view need not end a long run; the user decides.
    void vscode.window.showInformationMessage('ResNet Lab is still training in the background.', 'Stop Training', 'Keep Training').then((choice) => {
      if (choice === 'Stop Training') void vscode.commands.executeCommand(COMMANDS.stop);
    });
  }

  /** Disposes this panel because another takes its place: the user closed nothing. */
  private replace(): void {
    this.dispose();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (TrainingPanel.current === this) TrainingPanel.current = undefined;
    clearTimeout(this.snapshotTimer);
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
