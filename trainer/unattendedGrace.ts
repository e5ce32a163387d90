// How long a detached trainer waits with no window attached before deciding the editor has gone
// (closed, or its machine asleep): a window reload reconnects well within it; a closed editor
// does not. The trainer decides what expiry means (checkpoint and stop, or keep training).
export class UnattendedGrace {
  private timer: NodeJS.Timeout | undefined;

  constructor(private graceMs: number, private readonly expired: () => void) {}

  /** The run's own grace (from its start message) replaces the launch default. */
  setGrace(graceMs: number, clients: number): void {
    this.graceMs = graceMs;
    if (this.timer !== undefined) this.clientsChanged(clients, true);
  }

  /** No client: the wait starts (or restarts when `restart`); any client: it is called off. */
  clientsChanged(clients: number, restart = false): void {
    if (clients > 0 || restart) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (clients === 0 && this.timer === undefined) this.timer = setTimeout(() => {
      this.timer = undefined;
      this.expired();
    }, this.graceMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
