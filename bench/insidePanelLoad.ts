// What an open panel on the inside views asks of a training run: res2a's feature maps for a probe
// digit and the prediction of a drawn digit, each as often as the panel asks (PANEL_REFRESH_MS),
// through the host's own relay. Counts what was answered and how big a feature-map update is.
import { encodeBase64 } from '../shared/base64Bytes';
import { PANEL_REFRESH_MS } from '../shared/insideViews';
import { SupersededError } from '../src/session/trainerReplies';
import type { TrainingSession } from '../src/session/trainingSession';

/** A filled block in the middle of the field: any valid digit costs the trainer the same. */
function drawnDigit(): string {
  const bytes = new Uint8Array(784);
  for (let y = 6; y < 22; y++) for (let x = 11; x < 17; x++) bytes[y * 28 + x] = 255;
  return encodeBase64(bytes);
}

export class InsidePanelLoad {
  readonly counts = { featureMaps: 0, predictions: 0, superseded: 0, failed: 0, featureMapBytes: 0 };
  private readonly timers: ReturnType<typeof setInterval>[] = [];

  constructor(private readonly session: TrainingSession) {
    const pixels = drawnDigit();
    this.every(PANEL_REFRESH_MS.featureMaps, async () => {
      const maps = await session.insideViews.featureMaps('res2a', { kind: 'probe', digit: 3 });
      this.counts.featureMaps += 1;
      this.counts.featureMapBytes = JSON.stringify({ type: 'featureMaps', maps }).length;
    });
    this.every(PANEL_REFRESH_MS.prediction, async () => {
      await session.insideViews.predict(pixels);
      this.counts.predictions += 1;
    });
  }

  /** Asks only while a trainer holds the model, as the panel's requests would be answered. */
  private every(ms: number, ask: () => Promise<void>): void {
    this.timers.push(setInterval(() => {
      if (!this.session.liveTrainer) return;
      ask().catch((error: unknown) => {
        if (error instanceof SupersededError) this.counts.superseded += 1;
        else this.counts.failed += 1;
      });
    }, ms));
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
  }
}
