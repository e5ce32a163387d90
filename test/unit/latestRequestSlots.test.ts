// Inside-view requests: a newer one of a kind replaces the pending one, and each kind runs at
// most once per interval. Driven by a manual clock, so nothing here depends on real time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LatestRequestSlots, type SlotTimers } from '../../shared/latestRequestSlots';

class ManualClock implements SlotTimers {
  time = 0;
  private queue: { at: number; run: () => void; id: number }[] = [];
  private nextId = 1;
  now(): number { return this.time; }
  schedule(run: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.queue.push({ at: this.time + ms, run, id });
    return id;
  }
  cancel(handle: unknown): void { this.queue = this.queue.filter((t) => t.id !== handle); }
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const next = this.queue[0];
      if (!next || next.at > until) break;
      this.queue.shift();
      this.time = next.at;
      next.run();
    }
    this.time = until;
  }
}

test('a newer request of the same kind supersedes the pending one; other kinds are untouched', () => {
  const clock = new ManualClock();
  const superseded: number[] = [];
  const ran: string[] = [];
  const slots = new LatestRequestSlots({ maps: 250, prediction: 100 }, (id) => superseded.push(id), clock);
  slots.submit('maps', 1, () => ran.push('maps 1'));
  slots.submit('maps', 2, () => ran.push('maps 2'));
  slots.submit('prediction', 3, () => ran.push('prediction 3'));
  slots.submit('maps', 4, () => ran.push('maps 4'));
  clock.advance(0);
  assert.deepEqual(superseded, [1, 2]);
  assert.deepEqual(ran, ['maps 4', 'prediction 3']);
});

test('each kind runs at most once per interval, and the latest waiting request is the one that runs', () => {
  const clock = new ManualClock();
  const superseded: number[] = [];
  const ranAt: [number, number][] = [];
  const slots = new LatestRequestSlots({ maps: 250 }, (id) => superseded.push(id), clock);
  for (let id = 1; id <= 20; id++) {
    slots.submit('maps', id, () => ranAt.push([id, clock.now()]));
    clock.advance(50);
  }
  clock.advance(1000);
  // 20 requests 50 ms apart over a second: runs at 0, 250, 500, 750, 1000 ms.
  assert.deepEqual(ranAt, [[1, 0], [5, 250], [10, 500], [15, 750], [20, 1000]]);
  assert.equal(superseded.length, 15);
  for (let i = 1; i < ranAt.length; i++) assert.ok(ranAt[i]![1] - ranAt[i - 1]![1] >= 250);
});

test('clear drops pending requests without running them', () => {
  const clock = new ManualClock();
  const ran: number[] = [];
  const slots = new LatestRequestSlots({ maps: 250 }, () => {}, clock);
  slots.submit('maps', 1, () => ran.push(1));
  clock.advance(0);
  slots.submit('maps', 2, () => ran.push(2));
  slots.clear();
  clock.advance(1000);
  assert.deepEqual(ran, [1]);
});
