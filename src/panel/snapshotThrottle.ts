// How the panel paces session snapshots: at most one per interval, and the latest always goes
// out. No vscode import, so the benchmark's extension path sends progress through the same pacing
// the panel uses when it times a command's first progress reaching the panel.

/** Snapshots go out at most this often; the latest always goes out. */
export const SNAPSHOT_INTERVAL_MS = 250;

export class SnapshotThrottle {
  private timer: NodeJS.Timeout | undefined;
  private lastSentAt = 0;

  constructor(private readonly send: () => void, private readonly intervalMs = SNAPSHOT_INTERVAL_MS) {}

  /** Sends now, outside the pacing (the panel's `ready`); later changes wait from here. */
  sendNow(): void {
    this.lastSentAt = Date.now();
    this.send();
  }

  /** Something changed: send once the interval since the last send has passed. */
  schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.intervalMs - (Date.now() - this.lastSentAt));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sendNow();
    }, wait);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
