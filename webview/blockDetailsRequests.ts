// Asks the host for the selected block's live statistics, and asks again as training advances,
// at most every REFRESH_MS, so the inspector's weights stay live without flooding the trainer.
import type { BlockDetails } from '../shared/trainingReports';

export const REFRESH_MS = 2000;

export type DetailsState =
  | { status: 'none' }
  | { status: 'loading'; blockId: string }
  /** While a refresh is on its way the shown answer stays, so the inspector does not flicker. */
  | { status: 'ready'; details: BlockDetails }
  /** `last`: what was shown before the host said no (e.g. the trainer has exited). */
  | { status: 'unavailable'; blockId: string; reason: string; last: BlockDetails | null };

export class BlockDetailsRequests {
  private state: DetailsState = { status: 'none' };
  private blockId: string | null = null;
  private lastRequestAt = Number.NEGATIVE_INFINITY;
  private lastRequestedStep = -1;
  private pending: ReturnType<typeof setTimeout> | null = null;
  /** The step of the newest snapshot, so a delayed request is recorded against it. */
  private latestStep = 0;

  constructor(
    private readonly request: (blockId: string) => void,
    private readonly changed: () => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get current(): DetailsState {
    return this.state;
  }

  /** A new selection (or the same one again) asks at once. */
  select(blockId: string | null, step: number): void {
    this.cancelPending();
    this.blockId = blockId;
    if (blockId === null) {
      this.state = { status: 'none' };
      return;
    }
    this.state = { status: 'loading', blockId };
    this.latestStep = step;
    this.send(step);
  }

  /** Called for every snapshot: when the step has moved on, ask again once the interval allows. */
  stepAdvanced(step: number): void {
    this.latestStep = step;
    // A new run counts from 0 again: what was asked at step 2000 of the last run says nothing now.
    if (step < this.lastRequestedStep) this.lastRequestedStep = -1;
    if (this.blockId === null || step <= this.lastRequestedStep || this.pending !== null) return;
    const wait = Math.max(0, this.lastRequestAt + REFRESH_MS - this.now());
    const blockId = this.blockId;
    this.pending = setTimeout(() => {
      this.pending = null;
      if (this.blockId !== blockId) return;
      this.send(this.latestStep);
    }, wait);
  }

  receiveDetails(details: BlockDetails): void {
    if (details.blockId !== this.blockId) return; // an answer for a block no longer selected
    this.state = { status: 'ready', details };
    this.changed();
  }

  receiveUnavailable(blockId: string, reason: string): void {
    if (blockId !== this.blockId) return;
    const last = this.state.status === 'ready' ? this.state.details : this.state.status === 'unavailable' ? this.state.last : null;
    this.state = { status: 'unavailable', blockId, reason, last };
    this.changed();
  }

  private send(step: number): void {
    this.lastRequestAt = this.now();
    this.lastRequestedStep = step;
    this.request(this.blockId!);
  }

  private cancelPending(): void {
    if (this.pending !== null) clearTimeout(this.pending);
    this.pending = null;
  }
}
