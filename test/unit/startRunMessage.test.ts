// The host's side of the New Run form: a startRun message from the panel starts a run only with
// a config validateConfig accepts as it stands; every invalid or malformed one is refused with a
// logged rejection that names the problem, and starts nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PRESETS, type TrainingConfig } from '../../shared/trainingConfig';
import { PanelMessageHandler } from '../../src/panel/panelMessages';

function recordingPanel() {
  const started: TrainingConfig[] = [];
  const warnings: string[] = [];
  const unexpected = () => Promise.reject(new Error('not part of this test'));
  const handler = new PanelMessageHandler({
    sendSnapshot: () => assert.fail('no snapshot'),
    post: () => assert.fail('nothing posted'),
    describeBlock: unexpected,
    gallery: unexpected,
    insideViews: { featureMaps: unexpected, predict: unexpected, probeDigits: unexpected },
    runCommand: () => assert.fail('no command'),
    startRun: (config) => {
      started.push(config);
      return Promise.resolve();
    },
    openSettings: () => assert.fail('no settings'),
    closeComparison: () => assert.fail('no comparison'),
    warn: (line) => warnings.push(line),
  });
  return { handler, started, warnings };
}

const valid = { ...PRESETS.default, learningRate: 0.0003, steps: 40 };

test('a valid startRun starts exactly that config, with no warning', async () => {
  const { handler, started, warnings } = recordingPanel();
  await handler.receive(JSON.parse(JSON.stringify({ type: 'startRun', config: valid })));
  assert.deepEqual(started, [valid]);
  assert.deepEqual(warnings, []);
});

const refused: [string, unknown, RegExp][] = [
  ['a learning rate of 0', { type: 'startRun', config: { ...valid, learningRate: 0 } }, /config: learningRate must be greater than 0 and at most 10 \(got 0\)/],
  ['a negative learning rate', { type: 'startRun', config: { ...valid, learningRate: -1 } }, /learningRate must be greater than 0/],
  ['a learning rate as text', { type: 'startRun', config: { ...valid, learningRate: '0.001' } }, /learningRate must be a number \(got "0\.001"\)/],
  ['NaN steps (null once serialized)', { type: 'startRun', config: { ...valid, steps: null } }, /steps must be a number \(got null\)/],
  ['a fractional batch size', { type: 'startRun', config: { ...valid, batchSize: 2.5 } }, /batchSize must be a whole number \(got 2\.5\)/],
  ['a keep probability above 1', { type: 'startRun', config: { ...valid, keepProb: 1.5 } }, /keepProb must be greater than 0 and at most 1 \(got 1\.5\)/],
  ['an unknown preset', { type: 'startRun', config: { ...valid, preset: 'turbo' } }, /preset must be one of default, seed \(got "turbo"\)/],
  ['an unknown backend', { type: 'startRun', config: { ...valid, backend: 'tpu' } }, /backend must be one of/],
  ['a missing field', { type: 'startRun', config: Object.fromEntries(Object.entries(valid).filter(([k]) => k !== 'seed')) }, /seed is missing/],
  ['an extra field', { type: 'startRun', config: { ...valid, writeSettings: true } }, /unknown setting "writeSettings"/],
  ['a __proto__ key', JSON.parse(`{"type":"startRun","config":${JSON.stringify(valid).slice(0, -1)},"__proto__":{"polluted":true}}}`), /unknown setting "__proto__"/],
  ['no config', { type: 'startRun' }, /config is missing/],
  ['a config that is a list', { type: 'startRun', config: [valid] }, /config must be an object/],
  ['a config that is text', { type: 'startRun', config: JSON.stringify(valid) }, /config must be an object/],
  ['a field beside the config', { type: 'startRun', config: valid, settings: 'write' }, /unknown field "settings"/],
  ['a misspelt type', { type: 'startrun', config: valid }, /startrun/],
];

for (const [what, message, why] of refused) {
  test(`a startRun with ${what} is refused and logged, and starts nothing`, async () => {
    const { handler, started, warnings } = recordingPanel();
    await handler.receive(message);
    assert.deepEqual(started, []);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, /^dropped a malformed message from the panel: /);
    assert.match(warnings[0]!, why);
    handler.dispose();
  });
}
