// When a run measures a step, evaluates on validation and writes a checkpoint: the steps each
// happens after, for a fresh and a resumed run, with the last step left to the run's end.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkpointsAfter, evaluatesAfter, measuresStep } from '../../trainer/train/runSchedule';

const config = { steps: 10, logEvery: 4, evalEvery: 3, checkpointEvery: 5 };
const stepsWhere = (happens: (step: number) => boolean) => Array.from({ length: config.steps }, (_, i) => i + 1).filter(happens);

test('measured: every logEvery steps, the last, and the first step of this process', () => {
  assert.deepEqual(stepsWhere((s) => measuresStep(s, config, 0)), [1, 4, 8, 10]);
  // Resumed at step 5: step 6 is this process's first.
  assert.deepEqual(stepsWhere((s) => measuresStep(s, config, 5)), [4, 6, 8, 10]);
});

test('evaluated and checkpointed on their schedules, never after the last step (the run\'s end does those)', () => {
  assert.deepEqual(stepsWhere((s) => evaluatesAfter(s, config)), [3, 6, 9]);
  assert.deepEqual(stepsWhere((s) => checkpointsAfter(s, config)), [5]);
  assert.deepEqual(stepsWhere((s) => checkpointsAfter(s, { ...config, checkpointEvery: 10 })), []);
});

test('an interval of 0 turns scheduled evaluations and checkpoints off', () => {
  const off = { ...config, evalEvery: 0, checkpointEvery: 0 };
  assert.deepEqual(stepsWhere((s) => evaluatesAfter(s, off) || checkpointsAfter(s, off)), []);
});
