// The host's wrapper around a real forked child: malformed messages are dropped (and reported),
// replies settle their requests, and a child that dies settles every pending request.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import type { TrainerToHostMessage } from '../../shared/trainerProtocol';
import { TrainerProcess, type TrainerExit } from '../../src/session/trainerProcess';

const misbehaving = path.join(__dirname, '..', 'support', 'misbehavingTrainer.js');

test('malformed messages are dropped and reported; valid ones are delivered; stderr is relayed', async () => {
  const trainer = new TrainerProcess(misbehaving);
  const received: TrainerToHostMessage[] = [];
  const rejected: string[] = [];
  const stderr: string[] = [];
  trainer.onMessage((m) => received.push(m));
  trainer.onRejected((p) => rejected.push(p));
  trainer.onStderr((l) => stderr.push(l));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.deepEqual(received, [{ type: 'runState', state: 'running' }]);
  assert.deepEqual(rejected, ['message is not an object', 'progress: progress must be an object', 'ready: protocol version 999 is not 1']);
  assert.deepEqual(stderr, ['a line on stderr']);
  const exited = new Promise<TrainerExit>((resolve) => trainer.onExit(resolve));
  trainer.kill();
  assert.deepEqual(await exited, { code: null, signal: 'SIGKILL' });
  assert.equal(trainer.exited, true);
  await assert.rejects(trainer.describeBlock('res2a'), /the trainer is not running/);
});

test('a reply settles its request: an error reply rejects with the trainer\'s message', async () => {
  const trainer = new TrainerProcess(misbehaving, { MISBEHAVE_MODE: 'error-reply' });
  await assert.rejects(trainer.describeBlock('zzz'), /^Error: no such block$/);
  trainer.kill();
});

test('a child that dies with a request pending settles it with the reason', async () => {
  const trainer = new TrainerProcess(misbehaving, { MISBEHAVE_MODE: 'die-on-request' });
  await assert.rejects(trainer.describeBlock('res2a'), /the trainer was killed \(SIGKILL\)/);
  assert.equal(trainer.exited, true);
});
