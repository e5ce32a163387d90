// Stop and crash messages: where Resume starts and what will be redone first, the cause second.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeCrash, describeResumePoint, describeStop } from '../../src/session/runEndWording';

test('a crash after a checkpoint names it and the steps that will be redone', () => {
  const end = { reachedStep: 65, totalSteps: 120, checkpointStep: 50 };
  assert.equal(describeResumePoint(end), 'last checkpoint at step 50; steps 51–65 will be redone');
  assert.equal(describeCrash(end, 'the trainer process was killed (SIGKILL) at step 65'),
    'Crashed at step 65/120: last checkpoint at step 50; steps 51–65 will be redone. Cause: the trainer process was killed (SIGKILL) at step 65');
});

test('one step to redo is said in the singular; a checkpoint at the crash step loses nothing', () => {
  assert.equal(describeResumePoint({ reachedStep: 51, totalSteps: 120, checkpointStep: 50 }), 'last checkpoint at step 50; step 51 will be redone');
  assert.equal(describeResumePoint({ reachedStep: 60, totalSteps: 120, checkpointStep: 60 }), 'Resume continues from step 60; nothing is lost');
});

test('a crash before any checkpoint says nothing can be resumed; one before the first step says so', () => {
  assert.equal(describeCrash({ reachedStep: 12, totalSteps: 120, checkpointStep: null }, 'out of memory'),
    'Crashed at step 12/120: no checkpoint was written yet, so nothing can be resumed. Cause: out of memory');
  assert.equal(describeCrash({ reachedStep: 0, totalSteps: 120, checkpointStep: null }, 'no GPU'),
    'Failed before the first step: no checkpoint was written yet, so nothing can be resumed. Cause: no GPU');
});

test('a stop says where Resume continues', () => {
  assert.equal(describeStop({ reachedStep: 40, totalSteps: 120, checkpointStep: 40 }), 'Stopped at step 40/120: Resume continues from step 40; nothing is lost.');
  assert.equal(describeStop({ reachedStep: 0, totalSteps: 120, checkpointStep: null }), 'Stopped at step 0/120: no checkpoint was written yet, so nothing can be resumed.');
});
