// The trainer messages a test has received, and a way to wait for one that matches (rejected
// when the trainer ends first, listing what did arrive).
import type { TrainerToHostMessage } from '../../shared/trainerProtocol';

type Waiter = { match: (m: TrainerToHostMessage) => boolean; resolve: (m: TrainerToHostMessage) => void };

export class ReceivedMessages {
  readonly list: TrainerToHostMessage[] = [];
  private waiters: Waiter[] = [];

  /** `ended` resolves with how the trainer ended. */
  constructor(private readonly ended: Promise<string>) {}

  add(message: TrainerToHostMessage): void {
    this.list.push(message);
    for (const w of this.waiters.splice(0)) (w.match(message) ? w.resolve(message) : this.waiters.push(w));
  }

  waitFor<T extends TrainerToHostMessage['type']>(type: T, match: (m: Extract<TrainerToHostMessage, { type: T }>) => boolean = () => true): Promise<Extract<TrainerToHostMessage, { type: T }>> {
    const test = (m: TrainerToHostMessage) => m.type === type && match(m as Extract<TrainerToHostMessage, { type: T }>);
    const found = this.list.find(test);
    if (found) return Promise.resolve(found as Extract<TrainerToHostMessage, { type: T }>);
    return new Promise((resolve, reject) => {
      this.waiters.push({ match: test, resolve: resolve as (m: TrainerToHostMessage) => void });
      void this.ended.then((how) => reject(new Error(`${how} while waiting for ${type}; got ${this.list.map((m) => m.type).join(', ')}`)));
    });
  }
}
