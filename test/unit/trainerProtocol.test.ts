// The host ↔ trainer message guards: well-formed messages come back as they are, anything else is
// refused with a sentence naming what is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHostToTrainer, parseTrainerToHost, TRAINER_PROTOCOL_VERSION, type ParseResult } from '../../shared/trainerProtocol';
import { resolveConfig } from '../../shared/trainingConfig';
import { seedResNetArchitecture } from '../../shared/architecture';
import { computeModelFigures } from '../../shared/modelFigures';
import type { ProgressReport } from '../../shared/trainingReports';

function accepted<T>(result: ParseResult<T>): T {
  if (!result.ok) throw new assert.AssertionError({ message: `expected ok, got error "${result.error}"` });
  return result.message;
}

function rejected<T>(result: ParseResult<T>): string {
  if (result.ok) throw new assert.AssertionError({ message: `expected a rejection, got ${JSON.stringify(result.message)}` });
  assert.equal(typeof result.error, 'string');
  return result.error;
}

const config = () => resolveConfig('default');
const start = (overrides: Record<string, unknown> = {}) => ({ type: 'start', config: config(), checkpointDir: 'checkpoints/default', resume: false, architecture: null, detached: null, ...overrides });

const progress: ProgressReport = {
  step: 20, totalSteps: 860, epoch: 0, loss: 0.42, batchAccuracy: 0.875, imagesPerSec: 150.5, etaSec: 300, elapsedSec: 8.5,
};

// ---- host → trainer ----

test('start with a resolved config is accepted and returned', () => {
  assert.deepEqual(accepted(parseHostToTrainer(start())), {
    type: 'start', config: resolveConfig('default'), checkpointDir: 'checkpoints/default', resume: false, architecture: null, detached: null,
  });
  assert.equal(accepted(parseHostToTrainer(start({ resume: true }))).type, 'start');
});

test('start names the run folder a detached trainer records, its window and its grace; a malformed one is refused naming the field', () => {
  const detached = { runDir: '/runs/20261202-091500-abcd', windowId: 'w-1', graceMs: 30_000, keepTraining: false };
  assert.deepEqual(accepted(parseHostToTrainer(start({ detached }))), start({ detached }));
  assert.equal(rejected(parseHostToTrainer(start({ detached: { ...detached, graceMs: -1 } }))), 'start.detached.graceMs must be a whole number from 0 to 86400000 (got -1)');
  assert.equal(rejected(parseHostToTrainer(start({ detached: { ...detached, keepTraining: 'yes' } }))), 'start.detached.keepTraining must be true or false (got "yes")');
  const { detached: _dropped, ...withoutDetached } = start();
  assert.equal(rejected(parseHostToTrainer(withoutDetached)), 'start.detached is missing');
});

test('start carries the network to train, or null for the seed\'s (or the checkpoint\'s when resuming); a malformed one is refused naming the field', () => {
  const spec = seedResNetArchitecture();
  assert.deepEqual(accepted(parseHostToTrainer(start({ architecture: spec }))), start({ architecture: spec }));
  const { architecture: _dropped, ...withoutArchitecture } = start();
  assert.equal(rejected(parseHostToTrainer(withoutArchitecture)), 'start.architecture is missing');
  const conv = { ...spec.blocks[1]!.layers[0]!, filters: 0 };
  const broken = { ...spec, blocks: [spec.blocks[0], { ...spec.blocks[1], layers: [conv] }, ...spec.blocks.slice(2)] };
  assert.equal(rejected(parseHostToTrainer(start({ architecture: broken }))), 'start.architecture.blocks[1].layers[0].filters must be a whole number from 1 to 1000000 (got 0)');
  assert.equal(rejected(parseHostToTrainer(start({ architecture: { ...spec, blocks: [{ ...spec.blocks[1], layers: [{ op: 'conv3d', name: 'x' }] }] } }))),
    'start.architecture.blocks[0].layers[0].op must be one of conv2d, maxPool, avgPool, globalAvgPool, batchNorm, flatten, dense, dropout, add (got "conv3d")');
});

test('start with a key it does not know at the top level is refused naming the key', () => {
  assert.equal(rejected(parseHostToTrainer(start({ extra: 'ignored' }))), 'start has an unknown field "extra"');
  assert.equal(rejected(parseHostToTrainer(JSON.parse('{"type":"stop","__proto__":{"type":"start"}}'))), 'stop has an unknown field "__proto__"');
});

test('pause, continue and stop are accepted bare, and refused with anything more', () => {
  for (const type of ['pause', 'continue', 'stop']) {
    assert.deepEqual(accepted(parseHostToTrainer({ type })), { type });
    assert.equal(rejected(parseHostToTrainer({ type, junk: 1 })), `${type} has an unknown field "junk"`);
  }
});

test('evaluate with a request id and a split is accepted', () => {
  assert.deepEqual(accepted(parseHostToTrainer({ type: 'evaluate', requestId: 1, split: 'test' })), { type: 'evaluate', requestId: 1, split: 'test' });
  assert.deepEqual(accepted(parseHostToTrainer({ type: 'evaluate', requestId: 9, split: 'validation' })), { type: 'evaluate', requestId: 9, split: 'validation' });
});

test('describeBlock with a request id and a block id is accepted', () => {
  assert.deepEqual(accepted(parseHostToTrainer({ type: 'describeBlock', requestId: 2, blockId: 'res2a' })), { type: 'describeBlock', requestId: 2, blockId: 'res2a' });
});

test('something that is not an object is refused', () => {
  for (const raw of [null, undefined, 'start', 42, ['start'], []]) {
    assert.equal(rejected(parseHostToTrainer(raw)), 'message is not an object', JSON.stringify(raw));
  }
});

test('an unknown message type is refused naming the type', () => {
  assert.equal(rejected(parseHostToTrainer({ type: 'explode' })), 'unknown message type "explode"');
  assert.equal(rejected(parseHostToTrainer({})), 'unknown message type undefined');
});

test('start without a config is refused', () => {
  const raw: Record<string, unknown> = start();
  delete raw.config;
  assert.equal(rejected(parseHostToTrainer(raw)), 'start.config is missing');
  assert.equal(rejected(parseHostToTrainer(start({ config: 'default' }))), 'start.config must be an object');
});

test('start with steps -5 is refused naming steps', () => {
  assert.equal(rejected(parseHostToTrainer(start({ config: { ...config(), steps: -5 } }))), 'start.config: steps must be at least 1 and at most 10000000 (got -5)');
});

test('start with an unknown key in its config is refused naming the key', () => {
  assert.equal(rejected(parseHostToTrainer(start({ config: { ...config(), turbo: true } }))), 'start.config: unknown setting "turbo"');
});

test('start with a config missing a field is refused naming the field', () => {
  const partial: Record<string, unknown> = { ...config() };
  delete partial.batchSize;
  assert.equal(rejected(parseHostToTrainer(start({ config: partial }))), 'start.config: batchSize is missing');
});

test('start with an empty or missing checkpointDir is refused', () => {
  assert.equal(rejected(parseHostToTrainer(start({ checkpointDir: '' }))), 'start.checkpointDir must be a string of 1 to 4096 characters (got "")');
  assert.equal(rejected(parseHostToTrainer(start({ checkpointDir: 7 }))), 'start.checkpointDir must be a string of 1 to 4096 characters (got 7)');
  assert.equal(rejected(parseHostToTrainer(start({ checkpointDir: 'x'.repeat(5000) }))), `start.checkpointDir must be a string of 1 to 4096 characters (got "${'x'.repeat(40)}…")`);
});

test('start with resume "yes" is refused', () => {
  assert.equal(rejected(parseHostToTrainer(start({ resume: 'yes' }))), 'start.resume must be true or false (got "yes")');
});

test('evaluate with a request id that is not a positive integer is refused', () => {
  for (const requestId of [0, 1.5, '1', -1, undefined, Number.NaN]) {
    assert.match(rejected(parseHostToTrainer({ type: 'evaluate', requestId, split: 'test' })), /^evaluate\.requestId (must be a positive whole number \(got .+\)|is missing)$/, String(requestId));
  }
});

test('evaluate on the train split is refused', () => {
  assert.equal(rejected(parseHostToTrainer({ type: 'evaluate', requestId: 1, split: 'train' })), 'evaluate.split must be one of validation, test (got "train")');
});

test('describeBlock with a 10,000-character block id is refused', () => {
  assert.equal(rejected(parseHostToTrainer({ type: 'describeBlock', requestId: 2, blockId: 'r'.repeat(10_000) })), `describeBlock.blockId must be a string of at most 64 characters (got "${'r'.repeat(40)}…")`);
  assert.equal(rejected(parseHostToTrainer({ type: 'describeBlock', requestId: 2, blockId: 5 })), 'describeBlock.blockId must be a string of at most 64 characters (got 5)');
  assert.equal(rejected(parseHostToTrainer({ type: 'describeBlock', requestId: 0, blockId: 'res2a' })), 'describeBlock.requestId must be a positive whole number (got 0)');
});

// ---- trainer → host ----

test('ready with this protocol version is accepted as sent', () => {
  const raw = { type: 'ready', protocolVersion: TRAINER_PROTOCOL_VERSION };
  assert.deepEqual(accepted(parseTrainerToHost(raw)), raw);
  assert.equal(TRAINER_PROTOCOL_VERSION, 3);
});

test('ready with another protocol version is refused naming both versions', () => {
  assert.equal(rejected(parseTrainerToHost({ type: 'ready', protocolVersion: 2 })), 'ready.protocolVersion must be 3 (got 2)');
  assert.equal(rejected(parseTrainerToHost({ type: 'ready' })), 'ready.protocolVersion is missing');
});

test('ready naming a network (protocol 1) is refused: the run\'s network comes with started', () => {
  const arch = seedResNetArchitecture();
  const raw = { type: 'ready', protocolVersion: TRAINER_PROTOCOL_VERSION, architecture: { spec: arch, figures: computeModelFigures(arch) } };
  assert.equal(rejected(parseTrainerToHost(raw)), 'ready has an unknown field "architecture"');
});

test('progress with a payload object is accepted', () => {
  assert.deepEqual(accepted(parseTrainerToHost({ type: 'progress', progress })), { type: 'progress', progress });
});

test('progress without a payload object is refused', () => {
  assert.equal(rejected(parseTrainerToHost({ type: 'progress' })), 'progress.progress is missing');
  assert.equal(rejected(parseTrainerToHost({ type: 'progress', progress: 5 })), 'progress.progress must be an object (got 5)');
  assert.equal(rejected(parseTrainerToHost({ type: 'progress', progress: [progress] })), 'progress.progress must be an object (got an array of 1)');
  assert.equal(rejected(parseTrainerToHost({ type: 'progress', progress: { ...progress, loss: 'low' } })), 'progress.progress.loss must be a number (got "low")');
});

test('error with a message and fatal false is accepted', () => {
  assert.deepEqual(accepted(parseTrainerToHost({ type: 'error', message: 'out of memory', fatal: false })), { type: 'error', message: 'out of memory', fatal: false });
  assert.deepEqual(accepted(parseTrainerToHost({ type: 'error', message: 'no such block', fatal: false, requestId: 3 })), {
    type: 'error', message: 'no such block', fatal: false, requestId: 3,
  });
});

test('error without a fatal boolean, a message or a valid request id is refused', () => {
  assert.equal(rejected(parseTrainerToHost({ type: 'error', message: 'boom' })), 'error.fatal is missing');
  assert.equal(rejected(parseTrainerToHost({ type: 'error', message: 'boom', fatal: 'no' })), 'error.fatal must be true or false (got "no")');
  assert.equal(rejected(parseTrainerToHost({ type: 'error', fatal: true })), 'error.message is missing');
  assert.equal(rejected(parseTrainerToHost({ type: 'error', message: 'boom', fatal: true, requestId: 0 })), 'error.requestId must be a positive whole number (got 0)');
});

test('runState running or paused is accepted; sleeping is refused', () => {
  assert.deepEqual(accepted(parseTrainerToHost({ type: 'runState', state: 'paused' })), { type: 'runState', state: 'paused' });
  assert.deepEqual(accepted(parseTrainerToHost({ type: 'runState', state: 'running' })), { type: 'runState', state: 'running' });
  assert.equal(rejected(parseTrainerToHost({ type: 'runState', state: 'sleeping' })), 'runState.state must be one of running, paused (got "sleeping")');
});

test('an unknown trainer message type is refused naming the type', () => {
  assert.equal(rejected(parseTrainerToHost({ type: 'hello' })), 'unknown message type "hello"');
  assert.equal(rejected(parseTrainerToHost(null)), 'message is not an object');
  assert.equal(rejected(parseTrainerToHost([{ type: 'ready' }])), 'message is not an object');
});

test('blockDetails needs a request id', () => {
  const details = { blockId: 'res2a', step: 10, weights: [], activations: [] };
  assert.equal(rejected(parseTrainerToHost({ type: 'blockDetails', details })), 'blockDetails.requestId is missing');
  assert.equal(rejected(parseTrainerToHost({ type: 'blockDetails', requestId: 4 })), 'blockDetails.details is missing');
  assert.deepEqual(accepted(parseTrainerToHost({ type: 'blockDetails', requestId: 4, details })), { type: 'blockDetails', requestId: 4, details });
});

const seedReport = () => ({ spec: seedResNetArchitecture(), figures: computeModelFigures(seedResNetArchitecture()) });

test('started with a valid config, the run\'s network, start step and history is accepted', () => {
  const raw = { type: 'started', config: config(), architecture: seedReport(), backend: 'tensorflow', execution: 'graph', startStep: 0, history: { progress: [], evaluations: [] } };
  assert.deepEqual(accepted(parseTrainerToHost(raw)), raw);
});

test('started with an invalid config, start step or history is refused', () => {
  const good = { type: 'started', config: config(), architecture: seedReport(), backend: 'tensorflow', execution: 'graph', startStep: 0, history: { progress: [], evaluations: [] } };
  assert.equal(rejected(parseTrainerToHost({ ...good, config: { ...config(), steps: 0 } })), 'started.config: steps must be at least 1 and at most 10000000 (got 0)');
  assert.equal(rejected(parseTrainerToHost({ ...good, config: { ...config(), extra: 1 } })), 'started.config: unknown setting "extra"');
  assert.equal(rejected(parseTrainerToHost({ ...good, config: 'default' })), 'started.config must be an object');
  assert.equal(rejected(parseTrainerToHost({ ...good, execution: 'webgl' })), 'started.execution must be one of graph, eager (got "webgl")');
  assert.equal(rejected(parseTrainerToHost({ ...good, startStep: -1 })), 'started.startStep must be a whole number from 0 to 9007199254740991 (got -1)');
  assert.equal(rejected(parseTrainerToHost({ ...good, history: { progress: [] } })), 'started.history.evaluations is missing');
  const { architecture: _dropped, ...withoutArchitecture } = good;
  assert.equal(rejected(parseTrainerToHost(withoutArchitecture)), 'started.architecture is missing');
});

test('evaluation with a bad request id is refused', () => {
  const matrix = Array.from({ length: 10 }, (_, t) => Array.from({ length: 10 }, (_, p) => (t === p ? 980 : p === (t + 1) % 10 ? 20 : 0)));
  const confusion = { matrix, perClassAccuracy: new Array(10).fill(0.98) };
  const evaluation = { step: 860, split: 'test', accuracy: 0.98, loss: 0.05, examples: 10_000, predictedClassCounts: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000], confusion };
  assert.deepEqual(accepted(parseTrainerToHost({ type: 'evaluation', evaluation })), { type: 'evaluation', evaluation });
  assert.equal(rejected(parseTrainerToHost({ type: 'evaluation', evaluation, requestId: 1.5 })), 'evaluation.requestId must be a positive whole number (got 1.5)');
});

test('no TensorFlow module was loaded by the protocol guards', () => {
  assert.deepEqual(Object.keys(require.cache).filter((k) => k.includes('@tensorflow')), []);
});

test('phase messages with a well-formed phase are accepted; a missing, unknown or out-of-range phase is refused', () => {
  const phase = { kind: 'validating', done: 500, total: 5000 };
  assert.deepEqual(accepted(parseTrainerToHost({ type: 'phase', phase })), { type: 'phase', phase });
  assert.deepEqual(accepted(parseTrainerToHost({ type: 'phase', phase: { kind: 'checkpointing' } })), { type: 'phase', phase: { kind: 'checkpointing' } });
  assert.equal(rejected(parseTrainerToHost({ type: 'phase' })), 'phase.phase is missing');
  assert.equal(rejected(parseTrainerToHost({ type: 'phase', phase: { kind: 'sleeping' } })), 'phase.phase.kind must be one of training, checkpointing, validating, testing (got "sleeping")');
  assert.equal(rejected(parseTrainerToHost({ type: 'phase', phase: { kind: 'testing', done: 10001, total: 10000 } })), 'phase.phase must be a phase whose done is at most its total (got an object)');
  assert.equal(rejected(parseTrainerToHost({ type: 'phase', phase: { kind: 'training', done: 1 } })), 'phase.phase has an unknown field "done"');
});
