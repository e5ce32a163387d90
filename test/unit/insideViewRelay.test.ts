// The host's relay for the inside views: requests go to the run's own trainer while it holds the
// model; otherwise a short-lived inspection trainer loads the last checkpoint, and it is ended
// when idle or when a run starts. A superseded request is told apart from a failure.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { LATEST_CHECKPOINT_FILE } from '../../shared/checkpointFiles';
import { TRAINER_PROTOCOL_VERSION } from '../../shared/trainerProtocol';
import { resolveConfig } from '../../shared/trainingConfig';
import { emptySnapshot, type SessionSnapshot } from '../../shared/webviewProtocol';
import { InsideViewRelay, type InsideViewHost } from '../../src/session/insideViewRelay';
import { SupersededError } from '../../src/session/trainerReplies';
import type { TrainerConnection } from '../../src/session/trainerProcess';
import type { RunRecord } from '../../src/session/trainingSession';
import { FakeTrainer } from '../support/fakeTrainer';
import { tempDir } from '../support/paths';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const prediction = { step: 9, probabilities: Array.from({ length: 10 }, (_, i) => (i === 7 ? 0.91 : 0.01)) };

class FakeHost implements InsideViewHost {
  liveTrainer: TrainerConnection | null = null;
  isActive = false;
  lastCheckpointedRun: RunRecord | undefined;
  /** The shown run: the checkpointed one unless a test sets another. */
  shownRunOverride: RunRecord | undefined;
  get shownRun(): RunRecord | undefined {
    return this.shownRunOverride ?? this.lastCheckpointedRun;
  }
  private listeners: ((s: SessionSnapshot) => void)[] = [];
  onDidChange(listener: (s: SessionSnapshot) => void): () => void {
    this.listeners.push(listener);
    return () => {};
  }
  change(state: SessionSnapshot['state']): void {
    for (const l of this.listeners) l({ ...emptySnapshot(), state });
  }
}

function checkpointedRun(): RunRecord {
  const checkpointDir = tempDir('relay');
  fs.writeFileSync(path.join(checkpointDir, LATEST_CHECKPOINT_FILE), 'a checkpoint');
  return { checkpointDir, config: resolveConfig('default'), step: 9 };
}

test('the run\'s own trainer answers while it holds the model', async () => {
  const host = new FakeHost();
  const live = new FakeTrainer();
  live.answer = (request) => ({ type: 'digitPrediction', requestId: 1, prediction: { ...prediction, step: request.type === 'predictDigit' ? 5 : -1 } });
  host.liveTrainer = live;
  const launched: FakeTrainer[] = [];
  const relay = new InsideViewRelay(host, () => { const t = new FakeTrainer(); launched.push(t); return t; }, quiet);
  assert.equal((await relay.predict('AAAA')).step, 5);
  assert.equal(launched.length, 0);
  assert.deepEqual(live.sent.map((m) => m.type), ['predictDigit']);
});

test('without a trainer, an inspection trainer loads the last checkpoint, answers, and ends when idle', async () => {
  const host = new FakeHost();
  const run = checkpointedRun();
  host.lastCheckpointedRun = run;
  const launched: FakeTrainer[] = [];
  const relay = new InsideViewRelay(host, () => { const t = new FakeTrainer(); launched.push(t); return t; }, quiet, 50);
  const answered = relay.predict('AAAA');
  assert.equal(launched.length, 1);
  const inspector = launched[0]!;
  inspector.answer = () => ({ type: 'digitPrediction', requestId: 1, prediction });
  inspector.emit({ type: 'ready', protocolVersion: TRAINER_PROTOCOL_VERSION });
  assert.deepEqual(inspector.sent[0], { type: 'inspect', config: run.config, checkpointDir: run.checkpointDir, loadModel: true });
  inspector.emit({ type: 'inspecting', step: 9 });
  assert.deepEqual(await answered, prediction);
  // A second request reuses it.
  await relay.predict('AAAA');
  assert.equal(launched.length, 1);
  // Idle for the interval: asked to stop.
  await new Promise((resolve) => setTimeout(resolve, 120));
  assert.deepEqual(inspector.sent.at(-1), { type: 'stop' });
  assert.equal(relay.inspectionTrainer, null);
});

test('a run starting ends the inspection trainer; a superseded request is not a failure', async () => {
  const host = new FakeHost();
  host.lastCheckpointedRun = checkpointedRun();
  const launched: FakeTrainer[] = [];
  const relay = new InsideViewRelay(host, () => { const t = new FakeTrainer(); launched.push(t); return t; }, quiet);
  const asked = relay.featureMaps('res2a', { kind: 'probe', digit: 3 });
  const inspector = launched[0]!;
  inspector.answer = () => ({ type: 'requestSuperseded', requestId: 1 });
  inspector.emit({ type: 'inspecting', step: 9 });
  await assert.rejects(asked, SupersededError);
  host.change('starting');
  assert.deepEqual(inspector.sent.at(-1), { type: 'stop' });
  assert.equal(relay.inspectionTrainer, null);
  relay.dispose();
});

test('no run and no trainer: a clear reason; a run still loading: a different one; a failed load: its error', async () => {
  const host = new FakeHost();
  const launched: FakeTrainer[] = [];
  const relay = new InsideViewRelay(host, () => { const t = new FakeTrainer(); launched.push(t); return t; }, quiet);
  await assert.rejects(relay.predict('AAAA'), /no trained model yet/);
  host.isActive = true;
  await assert.rejects(relay.predict('AAAA'), /still loading/);
  host.isActive = false;
  host.lastCheckpointedRun = checkpointedRun();
  const asked = relay.predict('AAAA');
  launched[0]!.emit({ type: 'error', message: 'checkpoint.bin: CRC mismatch', fatal: true });
  await assert.rejects(asked, /CRC mismatch/);
  relay.dispose();
});

test('a gallery goes to the run\'s own trainer while it is up, else to an inspection trainer of the shown run that loads no model; one that has the model answers galleries too', async () => {
  const host = new FakeHost();
  const launched: FakeTrainer[] = [];
  const relay = new InsideViewRelay(host, () => { const t = new FakeTrainer(); launched.push(t); return t; }, quiet);
  const query = { split: 'test' as const, step: 9, selection: { kind: 'cell' as const, trueDigit: 4, predictedDigit: 9 }, limit: 48 };
  await assert.rejects(relay.gallery(query), /^Error: No run is shown: start or open one to see the images of its evaluations\.$/);
  const live = new FakeTrainer();
  host.liveTrainer = live;
  assert.deepEqual((await relay.gallery(query)).query, query);
  assert.deepEqual(live.sent.map((m) => m.type), ['gallery']);
  assert.equal(launched.length, 0);

  // The trainer has ended. The run shown has no checkpoint (retention removed it): its folder still answers, with no model loaded.
  host.liveTrainer = null;
  const withoutCheckpoint: RunRecord = { checkpointDir: tempDir('relay-no-checkpoint'), config: resolveConfig('default'), step: 9 };
  host.shownRunOverride = withoutCheckpoint;
  await assert.rejects(relay.predict('AAAA'), /no trained model yet/, 'a prediction still needs a checkpoint');
  assert.equal(launched.length, 0);
  const answered = relay.gallery(query);
  const galleriesOnly = launched[0]!;
  galleriesOnly.emit({ type: 'ready', protocolVersion: TRAINER_PROTOCOL_VERSION });
  assert.deepEqual(galleriesOnly.sent[0], { type: 'inspect', config: withoutCheckpoint.config, checkpointDir: withoutCheckpoint.checkpointDir, loadModel: false });
  galleriesOnly.emit({ type: 'inspecting', step: null });
  assert.deepEqual((await answered).query, query);
  assert.deepEqual(galleriesOnly.sent.map((m) => m.type), ['inspect', 'gallery']);

  // A checkpointed run: its galleries are asked first (no model), then a prediction needs the
  // model, so that inspection trainer is replaced by one that loads it, which then answers both.
  host.shownRunOverride = undefined;
  host.lastCheckpointedRun = checkpointedRun();
  const first = relay.gallery(query);
  const light = launched[1]!;
  light.emit({ type: 'ready', protocolVersion: TRAINER_PROTOCOL_VERSION });
  assert.equal(galleriesOnly.sent.at(-1)!.type, 'stop', 'the other run\'s inspection trainer was ended');
  assert.deepEqual(light.sent[0], { type: 'inspect', config: host.lastCheckpointedRun.config, checkpointDir: host.lastCheckpointedRun.checkpointDir, loadModel: false });
  light.emit({ type: 'inspecting', step: null });
  await first;
  const predicted = relay.predict('AAAA');
  const full = launched[2]!;
  assert.equal(light.sent.at(-1)!.type, 'stop');
  full.answer = (request) => (request.type === 'predictDigit' ? { type: 'digitPrediction', requestId: 1, prediction } : { type: 'gallery', requestId: 1, gallery: { query, matches: 0, indices: [], labels: [], pixels: '', topPredictions: '' } });
  full.emit({ type: 'ready', protocolVersion: TRAINER_PROTOCOL_VERSION });
  assert.equal((full.sent[0] as { loadModel: boolean }).loadModel, true);
  full.emit({ type: 'inspecting', step: 9 });
  assert.deepEqual(await predicted, prediction);
  await relay.gallery(query);
  assert.equal(launched.length, 3, 'the trainer with the model answered the gallery');
  assert.deepEqual(full.sent.map((m) => m.type), ['inspect', 'predictDigit', 'gallery']);
  relay.dispose();
});
