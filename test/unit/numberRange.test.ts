// A number range read three ways: membership at and around each bound, its wording, its schema.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeRange, inRange, rangeSchema } from '../../shared/numberRange';

test('bounds are inside unless exclusive; NaN and infinities are never inside', () => {
  const keep = { min: 0, minExclusive: true, max: 1 };
  assert.deepEqual([-0.1, 0, 1e-9, 0.5, 1, 1.0001].map((v) => inRange(v, keep)), [false, false, true, true, true, false]);
  const momentum = { min: 0, max: 1, maxExclusive: true };
  assert.deepEqual([-1e-9, 0, 0.99, 1].map((v) => inRange(v, momentum)), [false, true, true, false]);
  assert.deepEqual([NaN, Infinity, -Infinity].map((v) => inRange(v, {})), [false, false, false]);
  assert.equal(inRange(1e300, { min: 0, minExclusive: true }), true);
});

test('worded as messages say it, and as JSON Schema keywords', () => {
  assert.equal(describeRange({ min: 0, minExclusive: true, max: 1 }), 'more than 0 and at most 1');
  assert.equal(describeRange({ min: 0, max: 1, maxExclusive: true }), 'at least 0 and less than 1');
  assert.equal(describeRange({ min: 0, minExclusive: true }), 'more than 0');
  assert.deepEqual(rangeSchema({ min: 0, minExclusive: true, max: 1 }), { exclusiveMinimum: 0, maximum: 1 });
  assert.deepEqual(rangeSchema({ min: 0, max: 1, maxExclusive: true }), { minimum: 0, exclusiveMaximum: 1 });
  assert.deepEqual(rangeSchema({ min: 0, minExclusive: true }), { exclusiveMinimum: 0 });
});
