// Fuzzes the trainer's side of its edge for real: 3,000 generated malformed host messages are
// sent over Node's IPC into the forked, built trainer (dist/trainer.js). It must stay alive, act
// on none of them (no run starts, no state changes), answer them rate-limited, and afterwards
// still answer a request and train, inspect and stop correctly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { resolveConfig } from '../../shared/trainingConfig';
import { FUZZ_SEED, HOST_TO_TRAINER_TYPES, jsonGarbage, mutated, validHostToTrainer } from '../support/messageArbitraries';
import { tempDir } from '../support/paths';
import { expectedRejectionLines } from '../support/rejectionLines';
import { TrainerUnderTest } from '../support/trainerUnderTest';

test('3,000 malformed host messages over IPC: the built trainer acts on none, answers them rate-limited, then still answers and trains', async () => {
  const messages = fc.sample(fc.oneof(mutated(validHostToTrainer).map((m) => m.message as unknown), jsonGarbage(HOST_TO_TRAINER_TYPES)), { seed: FUZZ_SEED, numRuns: 3000 });
  const trainer = new TrainerUnderTest();
  await trainer.waitFor('ready');
  for (const message of messages) trainer.send(message as Record<string, unknown>);

  // IPC keeps order: the answer to this request comes after everything said about the fuzz.
  trainer.send({ type: 'evaluate', requestId: 1, split: 'validation' });
  const answer = await trainer.waitFor('error', (m) => m.requestId === 1);
  assert.match(answer.message, /The model is not loaded yet/);
  assert.equal(answer.fatal, false);

  const replies = trainer.received.slice(1, trainer.received.indexOf(answer));
  const context = `seed ${FUZZ_SEED}; replies: ${replies.map((r) => JSON.stringify(r).slice(0, 200)).join('\n')}`;
  assert.ok(replies.every((r) => r.type === 'error' && !r.fatal && r.requestId === undefined && r.message.startsWith('dropped ')), context);
  assert.equal(replies.length, expectedRejectionLines(messages.length), context);
  const last = replies.at(-1);
  assert.ok(last?.type === 'error' && last.message.startsWith('dropped 1000 malformed messages from the host so far'), context);

  // Still acts on valid messages: a short run starts, reports, is inspected and stops.
  const dir = tempDir('ipc-fuzz');
  trainer.send({ type: 'start', config: resolveConfig('default', { steps: 50, batchSize: 4, logEvery: 1, evalEvery: 0, checkpointEvery: 0 }), checkpointDir: dir, resume: false, architecture: null, detached: null });
  const started = await trainer.waitFor('started');
  assert.equal(started.startStep, 0);
  await trainer.waitFor('progress', (m) => m.progress.step >= 1);
  trainer.send({ type: 'describeBlock', requestId: 2, blockId: 'stem' });
  const details = await trainer.waitFor('blockDetails', (m) => m.requestId === 2);
  assert.deepEqual(details.details.weights.map((w) => w.name), ['stem/conv/kernel', 'stem/conv/bias']);
  trainer.send({ type: 'stop' });
  const finished = await trainer.waitFor('finished');
  assert.equal(finished.summary.outcome, 'stopped');
  assert.equal(await trainer.exited, 0);
  // On its way out the trainer reports the total it refused.
  assert.ok(trainer.received.some((m) => m.type === 'error' && m.message.startsWith(`dropped ${messages.length} malformed messages from the host in all`)));
});
