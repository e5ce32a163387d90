// The ETA's arithmetic: training steps left plus the evaluations and checkpoints still to come.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVAL_IMAGE_COST_VS_TRAINING, remainingRunSec, scheduledBetween } from '../../shared/runEta';

test('scheduled events still owed after a step\'s report: the step itself counts, the last step does not', () => {
  assert.equal(scheduledBetween(1, 120, 50), 2); // 50, 100
  assert.equal(scheduledBetween(50, 120, 50), 2); // 50 (its report comes first), 100
  assert.equal(scheduledBetween(51, 120, 50), 1);
  assert.equal(scheduledBetween(100, 100, 50), 0); // the last step's evaluation is the final one
  assert.equal(scheduledBetween(0, 120, 0), 0); // 0 = only at the end
  assert.equal(scheduledBetween(120, 120, 7), 0);
});

const config = { steps: 120, batchSize: 16, evalEvery: 50, checkpointEvery: 0 };
const base = { config, secPerStep: 0.25, validationImages: 5000, testImages: 10000, secPerEvalImage: 0.001, secPerCheckpoint: 2 };

test('at the last step the ETA is the final validation, the test and the final checkpoint', () => {
  assert.equal(remainingRunSec({ ...base, step: 120 }), 5 + 10 + 2);
});

test('mid-run it adds the steps left and each validation still scheduled', () => {
  // 60 steps × 0.25 s, validation at 100 and the final one (2 × 5 s), the test (10 s), one checkpoint (2 s).
  assert.equal(remainingRunSec({ ...base, step: 60 }), 15 + 10 + 10 + 2);
});

test('before any evaluation is timed, evaluation cost is estimated from the training speed; checkpoints count once timed', () => {
  const estimate = remainingRunSec({ ...base, step: 120, secPerEvalImage: null, secPerCheckpoint: null });
  assert.ok(Math.abs(estimate - 15000 * (0.25 / 16) * EVAL_IMAGE_COST_VS_TRAINING) < 1e-9);
});
