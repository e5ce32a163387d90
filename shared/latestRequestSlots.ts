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

/**
 * A time budget on top of the fixed intervals: while `applies()` (the trainer is training), a kind
 * next runs no sooner than its last run's duration ÷ `share` after that run began, so its answers
 * take at most `share` of the time however slow they are on this machine.
 */
export interface CostShare {
  share: number;
  applies(): boolean;
}

export class LatestRequestSlots<K extends string> {
  private readonly pending = new Map<K, Pending>();
  private readonly timers = new Map<K, unknown>();
  private readonly lastRunAt = new Map<K, number>();
  /** How long each kind's last run took (clock ms). */
  private readonly lastCost = new Map<K, number>();

  constructor(
    private readonly minIntervalMs: Readonly<Record<K, number>>,
    private readonly superseded: (requestId: number) => void,
    private readonly clock: SlotTimers = REAL_TIMERS,
    private readonly costShare?: CostShare,
  ) {}

  /** The least time from one run of `kind` to the next. */
  private intervalMs(kind: K): number {
    const budgeted = this.costShare?.applies() ? (this.lastCost.get(kind) ?? 0) / this.costShare.share : 0;
    return Math.max(this.minIntervalMs[kind], budgeted);
  }

  submit(kind: K, requestId: number, run: () => void): void {
    const replaced = this.pending.get(kind);
    if (replaced) this.superseded(replaced.requestId);
    this.pending.set(kind, { requestId, run });
    if (this.timers.has(kind)) return;
    const wait = Math.max(0, (this.lastRunAt.get(kind) ?? Number.NEGATIVE_INFINITY) + this.intervalMs(kind) - this.clock.now());
    this.timers.set(kind, this.clock.schedule(() => this.runPending(kind), wait));
  }

  private runPending(kind: K): void {
    this.timers.delete(kind);
    const next = this.pending.get(kind);
    if (!next) return;
    this.pending.delete(kind);
    const startedAt = this.clock.now();
    this.lastRunAt.set(kind, startedAt);
    try {
      next.run();
    } finally {
      this.lastCost.set(kind, this.clock.now() - startedAt);
    }
  }

  /** Drops every pending request unanswered (the process is ending). */
  clear(): void {
    for (const handle of this.timers.values()) this.clock.cancel(handle);
    this.timers.clear();
    this.pending.clear();
  }
}
