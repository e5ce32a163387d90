// The host's side of the webview edge, kept free of vscode so it can be driven directly: every
// message from the panel goes through the guard; a refused one is logged (rate-limited) and
// changes nothing; an accepted one is answered or turned into a command.
import type { ErrorGallery, GalleryQuery } from '../../shared/errorGallery';
import type { InsideRequestKind } from '../../shared/insideViews';
import type { TrainingConfig } from '../../shared/trainingConfig';
import type { BlockDetails } from '../../shared/trainingReports';
import { errorFirstLine, errorMessage } from '../../shared/errorMessage';
import { RejectionLog } from '../../shared/rejectionLog';
import { parseWebviewToHost, type HostToWebviewMessage, type PanelCommand, type WebviewToHostMessage } from '../../shared/webviewProtocol';
import type { InsideViewRelay } from '../session/insideViewRelay';
import { SupersededError } from '../session/trainerReplies';

/** What the panel's messages may cause; TrainingPanel supplies the real ones. */
export interface PanelActions {
  sendSnapshot(): void;
  post(message: HostToWebviewMessage): void;
  describeBlock(blockId: string): Promise<BlockDetails>;
  gallery(query: GalleryQuery): Promise<ErrorGallery>;
  /** Feature maps, digit predictions and probe digits, from the live trainer or the last checkpoint. */
  insideViews: Pick<InsideViewRelay, 'featureMaps' | 'predict' | 'probeDigits'>;
  runCommand(command: PanelCommand): PromiseLike<unknown>;
  /** Starts a run with the New Run form's config; the settings stay as they are. */
  startRun(config: TrainingConfig): PromiseLike<unknown>;
  openSettings(): PromiseLike<unknown>;
  /** The comparison was closed in the panel. */
  closeComparison(): void;
  warn(line: string): void;
}

export class PanelMessageHandler {
  private readonly rejections: RejectionLog;

  constructor(private readonly actions: PanelActions) {
    this.rejections = new RejectionLog('the panel', (line) => actions.warn(line));
  }

  /** Handles one raw message; resolves once it has been acted on (or refused). Never rejects. */
  async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewToHost(raw);
    if (!parsed.ok) {
      this.rejections.reject(parsed.error);
      return;
    }
    try {
      await this.handle(parsed.message);
    } catch (error) {
      // A command that throws (the user's settings are invalid, say) reports itself; this only
      // keeps its rejection from going unhandled.
      this.actions.warn(`panel request ${parsed.message.type} failed: ${errorMessage(error)}`);
    }
  }

  private async handle(message: WebviewToHostMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.actions.sendSnapshot();
        break;
      case 'selectBlock':
        try {
          this.actions.post({ type: 'blockDetails', details: await this.actions.describeBlock(message.blockId) });
        } catch (error) {
          this.actions.post({ type: 'blockDetailsUnavailable', blockId: message.blockId, reason: errorMessage(error) });
        }
        break;
      case 'requestGallery':
        try {
          this.actions.post({ type: 'gallery', requestId: message.requestId, gallery: await this.actions.gallery(message.query) });
        } catch (error) {
          this.actions.post({ type: 'galleryUnavailable', requestId: message.requestId, reason: errorFirstLine(error) });
        }
        break;
      case 'runCommand':
        await this.actions.runCommand(message.command);
        break;
      case 'startRun':
        await this.actions.startRun(message.config);
        break;
      case 'openSettings':
        await this.actions.openSettings();
        break;
      case 'closeComparison':
        this.actions.closeComparison();
        break;
      case 'requestFeatureMaps':
        await this.relay('featureMaps', async () => ({ type: 'featureMaps', maps: await this.actions.insideViews.featureMaps(message.blockId, message.probe) }));
        break;
      case 'predictDigit':
        await this.relay('prediction', async () => ({ type: 'digitPrediction', prediction: await this.actions.insideViews.predict(message.pixels) }));
        break;
      case 'requestProbeDigits':
        await this.relay('probeDigits', async () => ({ type: 'probeDigits', probes: await this.actions.insideViews.probeDigits() }));
        break;
      default: {
        const unknown: never = message;
        this.actions.warn(`unhandled panel message ${String((unknown as { type: unknown }).type)}`);
      }
    }
  }

  /** Posts an inside-view answer, or why there is none; a superseded request just gives way. */
  private async relay(kind: InsideRequestKind, answer: () => Promise<HostToWebviewMessage>): Promise<void> {
    try {
      this.actions.post(await answer());
    } catch (error) {
      if (error instanceof SupersededError) return;
      this.actions.post({ type: 'insideUnavailable', kind, reason: errorFirstLine(error) });
    }
  }

  /** Writes the count of refused messages not yet logged (the panel closes). */
  dispose(): void {
    this.rejections.close();
  }
}

