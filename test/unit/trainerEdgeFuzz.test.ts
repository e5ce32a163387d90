// Fuzzes the host's side of the trainer edge: generated messages go through the real
// TrainerProcess (with its real guard) into the real TrainingSession. A refused message must
// not crash the host, change the session's state, settle a request or send anything back, and
// refusals are logged rate-limited. Valid messages are still acted on afterwards. The in-process
// wire carries 20,000 messages; a real forked child then sends 2,000 over Node's IPC.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { seedResNetArchitecture } from '../../shared/architecture';
import { computeModelFigures } from '../../shared/modelFigures';
import { TRAINER_PROTOCOL_VERSION, type TrainerToHostMessage } from '../../shared/trainerProtocol';
import { resolveConfig } from '../../shared/trainingConfig';
import type { BlockDetails } from '../../shared/trainingReports';
import type { SessionSnapshot } from '../../shared/webviewProtocol';
import { TrainerProcess, type TrainerExit } from '../../src/session/trainerProcess';
import { TrainingSession, type SessionEvent } from '../../src/session/trainingSession';
import {
  FUZZ_SEED, fuzzParameters, garbage, jsonGarbage, mutated, TRAINER_TO_HOST_TYPES, validTrainerToHost,
} from '../support/messageArbitraries';
import { tempDir } from '../support/paths';
import { expectedRejectionLines } from '../support/rejectionLines';
import { WireChild } from '../support/wireChild';

const config = resolveConfig('default', { steps: 100 });
const architecture = { spec: seedResNetArchitecture(), figures: computeModelFigures(seedResNetArchitecture()) };
const ready: TrainerToHostMessage = { type: 'ready', protocolVersion: TRAINER_PROTOCOL_VERSION };
const invalidTrainerMessages = fc.oneof(mutated(validTrainerToHost).map((m) => m.message as unknown), garbage(TRAINER_TO_HOST_TYPES));

function sessionOver(launch: () => TrainerProcess) {
  const warnings: string[] = [];
  const others: string[] = [];
  const events: SessionEvent[] = [];
  const changes: SessionSnapshot[] = [];
  const session = new TrainingSession(launch, { get: () => undefined, set: () => {} }, tempDir('edge-fuzz'), {
    info: (m) => others.push(m), warn: (m) => warnings.push(m), error: (m) => others.push(`error ${m}`),
  });
  session.onEvent((e) => events.push(e));
  session.onDidChange((s) => changes.push(s));
  return { session, warnings, others, events, changes };
}

test('20,000 malformed trainer messages through the real guard change nothing in the session; a pending request survives them; valid ones still work', async () => {
  const wire = new WireChild();
  const { session, warnings, others, events, changes } = sessionOver(() => new TrainerProcess(wire as unknown as ChildProcess));
  session.start(config);
  wire.deliver(JSON.parse(JSON.stringify(ready)));
  const start = wire.sent.find((m) => (m as { type: string }).type === 'start') as { config: typeof config };
  wire.deliver({ type: 'started', config: start.config, architecture, backend: 'libtensorflow 2.15.1', execution: 'graph', startStep: 0, history: { progress: [], evaluations: [] } });
  assert.equal(session.sessionState, 'running');
  const inspected = session.describeBlock('res2a');
  const describeRequest = wire.sent[wire.sent.length - 1] as { type: string; requestId: number };
  assert.equal(describeRequest.type, 'describeBlock');

  const before = session.snapshot;
  const sentBefore = wire.sent.length;
  const changesBefore = changes.length;
  const logBefore = others.length;
  let delivered = 0;
  fc.assert(fc.property(invalidTrainerMessages, (raw) => {
    wire.deliver(raw);
    delivered += 1;
    // The same snapshot object: the session did not so much as copy its state.
    assert.equal(session.snapshot, before);
  }), fuzzParameters(20_000));
  assert.equal(changes.length, changesBefore, 'no change was published');
  assert.deepEqual(events, []);
  assert.equal(wire.sent.length, sentBefore, 'nothing was sent to the trainer in answer');
  assert.equal(others.length, logBefore, 'nothing but rejection warnings was logged');
  assert.equal(warnings.length, expectedRejectionLines(delivered), warnings.slice(0, 8).join('\n'));
  assert.ok(warnings.every((w) => w.startsWith('dropped ') && w.length < 500), warnings.find((w) => w.length >= 500));
  assert.match(warnings[warnings.length - 1]!, new RegExp(`^dropped ${10 ** Math.floor(Math.log10(delivered))} malformed messages from the trainer so far`));

  // Still acted on: the pending request gets its real answer, and progress moves the session.
  const details: BlockDetails = { blockId: 'res2a', step: 0, weights: [], activations: [] };
  wire.deliver({ type: 'blockDetails', requestId: describeRequest.requestId, details });
  assert.deepEqual(await inspected, details);
  wire.deliver({ type: 'progress', progress: { step: 1, totalSteps: 100, epoch: 0, loss: 2.3, batchAccuracy: 0.1, imagesPerSec: 50, etaSec: 99, elapsedSec: 1 } });
  assert.equal(session.snapshot.step, 1);

  const exited = new Promise<void>((resolve) => session.onDidChange((s) => { if (s.state === 'crashed') resolve(); }));
  wire.kill();
  await exited;
  assert.match(warnings[warnings.length - 1]!, new RegExp(`^dropped ${delivered} malformed messages from the trainer in all`));
});

test('2,000 generated valid trainer messages are accepted by the real guard and handled by the session without a throw or a rejection', () => {
  const wire = new WireChild();
  const { session, warnings } = sessionOver(() => new TrainerProcess(wire as unknown as ChildProcess));
  session.start(config);
  fc.assert(fc.property(validTrainerToHost, (message) => {
    wire.deliver(JSON.parse(JSON.stringify(message)));
  }), fuzzParameters(2000));
  assert.deepEqual(warnings.filter((w) => w.includes('malformed')), []);
});

test('2,000 malformed messages over real IPC from a forked child: the session stays as it was, logs them rate-limited, then acts on a valid message', async () => {
  const dir = tempDir('edge-fuzz-ipc');
  const replay = path.join(dir, 'messages.jsonl');
  const messages = fc.sample(fc.oneof(mutated(validTrainerToHost).map((m) => m.message as unknown), jsonGarbage(TRAINER_TO_HOST_TYPES)), { seed: FUZZ_SEED, numRuns: 2000 });
  // The last, valid, message changes the session: by then IPC (which keeps order) has delivered every malformed one.
  const sentinel: TrainerToHostMessage = { type: 'phase', phase: { kind: 'checkpointing' } };
  fs.writeFileSync(replay, [...messages, ready, sentinel].map((m) => JSON.stringify(m)).join('\n'));
  const replayingTrainer = path.join(__dirname, '..', 'support', 'replayingTrainer.js');
  let trainer: TrainerProcess | undefined;
  const { session, warnings, events, changes } = sessionOver(() => (trainer = new TrainerProcess(replayingTrainer, { REPLAY_FILE: replay })));
  const sentinelArrived = new Promise<void>((resolve) => session.onDidChange((s) => { if (s.phase?.kind === 'checkpointing') resolve(); }));
  session.start(config);
  const changesAtStart = changes.length;
  await sentinelArrived;
  // The network the run was started with (the seed's, with the config's keep probability) is drawn from the start; ready changes nothing.
  assert.equal(changes.length, changesAtStart + 1, 'the only change is the one the valid phase message made');
  const started = seedResNetArchitecture(config.keepProb);
  assert.deepEqual(session.snapshot.architecture, { spec: started, figures: computeModelFigures(started) });
  assert.equal(session.sessionState, 'starting');
  assert.deepEqual(events, []);
  assert.equal(warnings.length, expectedRejectionLines(messages.length), `seed ${FUZZ_SEED}:\n${warnings.join('\n')}`);

  const exited = new Promise<TrainerExit>((resolve) => trainer!.onExit(resolve));
  session.stop();
  assert.deepEqual(await exited, { code: 0, signal: null });
  assert.equal(session.sessionState, 'stopped');
  assert.match(warnings[warnings.length - 1]!, /^dropped 2000 malformed messages from the trainer in all/);
});
