// Requests wait in one slot per kind: a newer request of the same kind replaces a pending one
// (which is reported superseded), and each kind runs at most once per its interval. The trainer
// answers inside-view requests through it (from timers, so between training steps: a step is
// synchronous and the loop yields to the event loop after each one); the panel paces what it asks.

export interface SlotTimers {
  now(): number;
  schedule(run: () => void, ms: number): unknown;
  cancel(handle: unknown): void;
}

const REAL_TIMERS: SlotTimers = {
  now: () => performance.now(),
  schedule: (run, ms) => setTimeout(run, ms),
  cancel: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Pending { requestId: number; run: () => void }

export class LatestRequestSlots<K extends string> {
  private readonly pending = new Map<K, Pending>();
  private readonly timers = new Map<K, unknown>();
  private readonly lastRunAt = new Map<K, number>();

  constructor(
    private readonly minIntervalMs: Readonly<Record<K, number>>,
    private readonly superseded: (requestId: number) => void,
    private readonly clock: SlotTimers = REAL_TIMERS,
  ) {}

  submit(kind: K, requestId: number, run: () => void): void {
    const replaced = this.pending.get(kind);
    if (replaced) this.superseded(replaced.requestId);
    this.pending.set(kind, { requestId, run });
    if (this.timers.has(kind)) return;
    const wait = Math.max(0, (this.lastRunAt.get(kind) ?? Number.NEGATIVE_INFINITY) + this.minIntervalMs[kind] - this.clock.now());
    this.timers.set(kind, this.clock.schedule(() => this.runPending(kind), wait));
  }

  private runPending(kind: K): void {
    this.timers.delete(kind);
    const next = this.pending.get(kind);
    if (!next) return;
    this.pending.delete(kind);
    this.lastRunAt.set(kind, this.clock.now());
    next.run();
  }

  /** Drops every pending request unanswered (the process is ending). */
  clear(): void {
    for (const handle of this.timers.values()) this.clock.cancel(handle);
    this.timers.clear();
    this.pending.clear();
  }
}
