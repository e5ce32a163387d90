// The rate limit every edge logs its refused messages with: the first few in full, then running
// totals at 10, 100, 1000, …, and the rest of the count when the edge closes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REJECTIONS_LOGGED_IN_FULL, RejectionLog } from '../../shared/rejectionLog';

function logAfter(rejections: number, close: boolean): string[] {
  const lines: string[] = [];
  const log = new RejectionLog('the trainer', (line) => lines.push(line));
  for (let i = 1; i <= rejections; i++) log.reject(`problem ${i}`);
  if (close) log.close();
  assert.equal(log.rejected, rejections);
  return lines;
}

test('the first five rejections are logged in full, the fifth saying that more are only counted', () => {
  assert.equal(REJECTIONS_LOGGED_IN_FULL, 5);
  assert.deepEqual(logAfter(5, true), [
    'dropped a malformed message from the trainer: problem 1',
    'dropped a malformed message from the trainer: problem 2',
    'dropped a malformed message from the trainer: problem 3',
    'dropped a malformed message from the trainer: problem 4',
    'dropped a malformed message from the trainer: problem 5 (further ones from the trainer are only counted)',
  ]);
});

test('12,345 rejections make 5 lines in full, totals at 10, 100, 1,000 and 10,000, and the total on close', () => {
  const lines = logAfter(12_345, true);
  assert.deepEqual(lines.slice(5), [
    'dropped 10 malformed messages from the trainer so far; the latest: problem 10',
    'dropped 100 malformed messages from the trainer so far; the latest: problem 100',
    'dropped 1000 malformed messages from the trainer so far; the latest: problem 1000',
    'dropped 10000 malformed messages from the trainer so far; the latest: problem 10000',
    'dropped 12345 malformed messages from the trainer in all; the latest: problem 12345',
  ]);
});

test('closing adds nothing when the last count was already written, or nothing was refused', () => {
  assert.equal(logAfter(100, true).length, 5 + 2);
  assert.deepEqual(logAfter(0, true), []);
  assert.equal(logAfter(3, true).length, 3);
});

test('a reason longer than 300 characters is cut in the log line', () => {
  const lines: string[] = [];
  new RejectionLog('the panel', (line) => lines.push(line)).reject('x'.repeat(1_000_000));
  assert.equal(lines[0], `dropped a malformed message from the panel: ${'x'.repeat(300)}…`);
});
