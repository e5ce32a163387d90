// How every edge logs the messages its guard refused: each one is counted once; the first few
// are written out in full, after that only counts, so a peer that sends garbage in a loop
// cannot flood the log (or, in the trainer, the channel back to the host).

/** Rejections written out one by one before only counts are. */
export const REJECTIONS_LOGGED_IN_FULL = 5;
/** A rejection's reason is cut to this many characters in the log. */
const REASON_CHARS = 300;

function clip(reason: string): string {
  return reason.length > REASON_CHARS ? `${reason.slice(0, REASON_CHARS)}…` : reason;
}

/** 10, 100, 1000, …: the counts at which a running total is written, so lines grow as log10(n). */
function isPowerOfTen(n: number): boolean {
  let m = n;
  while (m >= 10 && m % 10 === 0) m /= 10;
  return m === 1 && n >= 10;
}

export class RejectionLog {
  private count = 0;
  private reportedCount = 0;
  private latest = '';

  /** `source` completes "a malformed message from …"; `write` takes one finished log line. */
  constructor(private readonly source: string, private readonly write: (line: string) => void) {}

  /** Messages refused so far. */
  get rejected(): number {
    return this.count;
  }

  /** Counts one refused message, and writes it out if it is among the first few. */
  reject(reason: string): void {
    this.count += 1;
    this.latest = clip(reason);
    if (this.count <= REJECTIONS_LOGGED_IN_FULL) {
      const more = this.count === REJECTIONS_LOGGED_IN_FULL ? ` (further ones from ${this.source} are only counted)` : '';
      this.report(`dropped a malformed message from ${this.source}: ${this.latest}${more}`);
    } else if (isPowerOfTen(this.count)) {
      this.report(`dropped ${this.count} malformed messages from ${this.source} so far; the latest: ${this.latest}`);
    }
  }

  /** Writes the total if some rejections have been counted but not yet written (the edge closes). */
  close(): void {
    if (this.count > this.reportedCount) this.report(`dropped ${this.count} malformed messages from ${this.source} in all; the latest: ${this.latest}`);
  }

  private report(line: string): void {
    this.reportedCount = this.count;
    this.write(line);
  }
}
