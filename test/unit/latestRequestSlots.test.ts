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

test('with a cost share, a kind waits its last run\'s duration ÷ share after it began, while the share applies', () => {
  const clock = new ManualClock();
  let training = true;
  const ranAt: [number, number][] = [];
  const slots = new LatestRequestSlots({ prediction: 100 }, () => {}, clock, { share: 0.1, applies: () => training });
  // Each answer takes 30 ms of the clock: at a 10 % share the next may begin 300 ms after this one did.
  const ask = (id: number) => slots.submit('prediction', id, () => { ranAt.push([id, clock.now()]); clock.time += 30; });
  for (let id = 1; id <= 20; id++) {
    ask(id);
    clock.advance(50);
  }
  assert.deepEqual(ranAt.map(([, at]) => at), [0, 300, 600, 900]);
  for (let i = 1; i < ranAt.length; i++) assert.ok(ranAt[i]![1] - ranAt[i - 1]![1] >= 300, 'never more than a tenth of the time');
  // Training over (a finished run): only the fixed 100 ms interval is left.
  clock.advance(1000);
  training = false;
  ranAt.length = 0;
  for (let id = 21; id <= 30; id++) {
    ask(id);
    clock.advance(50);
  }
  const gaps = ranAt.slice(1).map(([, at], i) => at - ranAt[i]![1]);
  assert.ok(gaps.length >= 3 && gaps.every((gap) => gap >= 100 && gap < 300), `gaps ${gaps.join(', ')}`);
});

test('without a cost share, slow runs do not stretch the interval', () => {
  const clock = new ManualClock();
  const ranAt: number[] = [];
  const slots = new LatestRequestSlots({ maps: 100 }, () => {}, clock);
  for (let id = 1; id <= 10; id++) {
    slots.submit('maps', id, () => { ranAt.push(clock.now()); clock.time += 30; });
    clock.advance(50);
  }
  assert.deepEqual(ranAt, [0, 100, 200, 300, 400, 500]);
});
