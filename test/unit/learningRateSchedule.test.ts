// The learning rate of each update (shared/learningRateSchedule.ts): warm-up, cosine, floor and
// the dense layers' scale, at known steps; and with the levers off, exactly the peak.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONSTANT_SCHEDULE, describeSchedule, learningRateAt, type LearningRateSchedule } from '../../shared/learningRateSchedule';
import { PRESETS } from '../../shared/trainingConfig';

const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) <= 1e-15, `${what}: ${actual} ≠ ${expected}`);

const COSINE: LearningRateSchedule = { learningRate: 2e-3, lrSchedule: 'cosine', warmupSteps: 100, lrFloor: 0, denseLrScale: 0.1, steps: 1100 };

test('levers off: every update and both groups get exactly the learning rate', () => {
  const schedule = { ...CONSTANT_SCHEDULE, learningRate: 1e-3, steps: 860 };
  for (const t of [1, 2, 100, 860, 861]) assert.deepEqual(learningRateAt(schedule, t), { conv: 1e-3, dense: 1e-3 });
  // The seed preset trains at one constant rate, as the tutorial does.
  for (const t of [1, 2000]) assert.deepEqual(learningRateAt(PRESETS.seed, t), { conv: 1e-3, dense: 1e-3 });
});

test('warm-up rises linearly: update t of W is t/W of the peak, the peak at t = W', () => {
  close(learningRateAt(COSINE, 1).conv, 2e-5, 't=1');
  close(learningRateAt(COSINE, 50).conv, 1e-3, 't=50');
  close(learningRateAt(COSINE, 100).conv, 2e-3, 't=100');
  close(learningRateAt({ ...COSINE, lrSchedule: 'constant' }, 25).conv, 5e-4, 'constant after warm-up, t=25');
  close(learningRateAt({ ...COSINE, lrSchedule: 'constant' }, 1000).conv, 2e-3, 'constant after warm-up, t=1000');
});

test('cosine falls from the peak after warm-up to the floor at the last step, half-way at the middle', () => {
  // 1,000 decay updates after 100 of warm-up: the middle is t = 600.
  close(learningRateAt(COSINE, 101).conv, 2e-3 * 0.5 * (1 + Math.cos(Math.PI / 1000)), 't=101');
  close(learningRateAt(COSINE, 600).conv, 1e-3, 't=600');
  close(learningRateAt(COSINE, 1100).conv, 0, 't=1100');
  close(learningRateAt(COSINE, 1200).conv, 0, 'past the end it stays at the floor');
  const floored = { ...COSINE, lrFloor: 0.05 };
  close(learningRateAt(floored, 600).conv, 1e-4 + 0.5 * 1.9e-3, 'floor 0.05, middle');
  close(learningRateAt(floored, 1100).conv, 1e-4, 'floor 0.05, end');
});

test('the dense layers train at denseLrScale times the convolutions\' rate at every step', () => {
  for (const t of [1, 50, 100, 600, 1000]) {
    const { conv, dense } = learningRateAt(COSINE, t);
    close(dense, conv * 0.1, `t=${t}`);
  }
});

test('a schedule whose warm-up is the whole run only warms up; a one-step run decays over one step', () => {
  const allWarmUp = { ...COSINE, warmupSteps: 1100 };
  close(learningRateAt(allWarmUp, 550).conv, 1e-3, 'half-way through the warm-up');
  const oneStep = { ...COSINE, warmupSteps: 0, steps: 1 };
  close(learningRateAt(oneStep, 1).conv, 0, 'the one update is the end of the cosine');
});

test('the rate depends on t alone: the same t gives the same numbers, in any order of calls', () => {
  const forward = [1, 2, 3, 500, 1099].map((t) => learningRateAt(COSINE, t));
  const backward = [1099, 500, 3, 2, 1].map((t) => learningRateAt(COSINE, t)).reverse();
  assert.deepEqual(forward, backward);
});

test('describeSchedule says the levers that are on', () => {
  assert.equal(describeSchedule({ ...CONSTANT_SCHEDULE, learningRate: 1e-3 }), '0.001');
  assert.equal(describeSchedule(COSINE), '0.002, 100 warm-up steps, cosine to 0, dense ×0.1');
  assert.equal(describeSchedule({ ...COSINE, lrFloor: 0.05, warmupSteps: 0, denseLrScale: 1 }), '0.002, cosine to 0.05×');
});
