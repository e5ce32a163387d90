// The host's wrapper around a real forked child: malformed messages are dropped (and reported),
// replies settle their requests, and a child that dies settles every pending request.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { TRAINER_PROTOCOL_VERSION, type TrainerToHostMessage } from '../../shared/trainerProtocol';
import { TrainerProcess, type TrainerExit } from '../../src/session/trainerProcess';
import { SupersededError } from '../../src/session/trainerReplies';

const misbehaving = path.join(__dirname, '..', 'support', 'misbehavingTrainer.js');

test('malformed messages are dropped and reported; valid ones are delivered; stderr is relayed', async (t) => {
  const trainer = new TrainerProcess(misbehaving);
  // A failed assertion must not leave the child running (the test process would never end).
  t.after(() => trainer.kill());
  const received: TrainerToHostMessage[] = [];
  const rejected: string[] = [];
  const stderr: string[] = [];
  // The child sends three bad messages, then one good one, then writes to stderr: both the good
  // message and the stderr line having arrived means everything has.
  let everythingArrived: () => void = () => {};
  const arrived = new Promise<void>((resolve) => { everythingArrived = resolve; });
  const check = () => { if (received.length > 0 && stderr.length > 0) everythingArrived(); };
  trainer.onMessage((m) => { received.push(m); check(); });
  trainer.onRejected((p) => rejected.push(p));
  trainer.onStderr((l) => { stderr.push(l); check(); });
  await arrived;
  assert.deepEqual(received, [{ type: 'runState', state: 'running' }]);
  assert.deepEqual(rejected, ['message is not an object', 'progress.progress is missing', `ready.protocolVersion must be ${TRAINER_PROTOCOL_VERSION} (got 999)`]);
  assert.deepEqual(stderr, ['a line on stderr']);
  const exited = new Promise<TrainerExit>((resolve) => trainer.onExit(resolve));
  trainer.kill();
  assert.deepEqual(await exited, { code: null, signal: 'SIGKILL' });
  assert.equal(trainer.exited, true);
  await assert.rejects(trainer.askFor({ type: 'describeBlock', blockId: 'res2a' }), /the trainer is not running/);
});

test('a reply settles its request: an error reply rejects with the trainer\'s message', async (t) => {
  const trainer = new TrainerProcess(misbehaving, { MISBEHAVE_MODE: 'error-reply' });
  t.after(() => trainer.kill());
  await assert.rejects(trainer.askFor({ type: 'describeBlock', blockId: 'zzz' }), /^Error: no such block$/);
  trainer.kill();
});

test('a reply of the type the protocol pairs with the request resolves with it; another type or a superseded request rejects', async (t) => {
  const trainer = new TrainerProcess(misbehaving, { MISBEHAVE_MODE: 'reply-by-block' });
  t.after(() => trainer.kill());
  const details = await trainer.askFor({ type: 'describeBlock', blockId: 'res2a' });
  assert.deepEqual(details, { type: 'blockDetails', requestId: 1, details: { blockId: 'res2a', step: 3, weights: [], activations: [] } });
  await assert.rejects(trainer.askFor({ type: 'describeBlock', blockId: 'wrong-type' }),
    (error: Error) => error.message === 'the trainer answered describeBlock with digitPrediction instead of blockDetails');
  await assert.rejects(trainer.askFor({ type: 'describeBlock', blockId: 'superseded' }), SupersededError);
  // The rejections settled their requests only: the next one is answered as before.
  assert.equal((await trainer.askFor({ type: 'describeBlock', blockId: 'stem' })).details.blockId, 'stem');
  trainer.kill();
});

test('a child that dies with a request pending settles it with the reason', async () => {
  const trainer = new TrainerProcess(misbehaving, { MISBEHAVE_MODE: 'die-on-request' });
  await assert.rejects(trainer.askFor({ type: 'describeBlock', blockId: 'res2a' }), /the trainer was killed \(SIGKILL\)/);
  assert.equal(trainer.exited, true);
});
