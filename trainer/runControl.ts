// The pause gate and stop flag the training loop obeys. Pause and stop take effect before the
// next step, so within one step of being asked.
import type { RunControl } from './train/runEvents';

export class PausableRunControl implements RunControl {
  private stopped = false;
  private resumeGate: { promise: Promise<void>; release: () => void } | null = null;

  get stopRequested(): boolean {
    return this.stopped;
  }

  get paused(): boolean {
    return this.resumeGate !== null;
  }

  pause(): void {
    if (this.resumeGate || this.stopped) return;
    let release!: () => void;
    const promise = new Promise<void>((resolve) => { release = resolve; });
    this.resumeGate = { promise, release };
  }

  resume(): void {
    this.resumeGate?.release();
    this.resumeGate = null;
  }

  /** Stopping also opens the gate, so a paused run ends instead of waiting forever. */
  stop(): void {
    this.stopped = true;
    this.resume();
  }

  waitWhilePaused(): Promise<void> {
    return this.resumeGate?.promise ?? Promise.resolve();
  }
}
