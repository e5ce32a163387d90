// The New Run form's model: which fields it shows, pre-filling from the settings, each invalid
// value explained by the shared validators under its own field, epochs → steps on the 55,000
// training images, and the startRun message Run sends (which the host's guard accepts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkNewRunForm, choosePreset, epochNote, epochsToSteps, formFromConfig, inapplicableFields, NEW_RUN_FIELDS, prefilledForm, restoreNewRunForm, startRunMessage, stepsToEpochs,
  type NewRunFormState,
} from '../../shared/newRunForm';
import { PRESETS, TRAINING_SPLIT_IMAGES, validateConfig, type TrainingConfig } from '../../shared/trainingConfig';
import { parseWebviewToHost } from '../../shared/webviewProtocol';
import { configFromSettings } from '../../src/session/settingsToConfig';

/** The form as the panel fills it from these resnetLab.* settings. */
function formFromSettings(values: Parameters<typeof configFromSettings>[0]): NewRunFormState {
  const check = configFromSettings(values);
  return prefilledForm(check.ok ? check : { ok: false, problems: check.problems.map((p) => p.text) });
}

function edited(form: NewRunFormState, text: Record<string, string>): NewRunFormState {
  return { ...form, text: { ...form.text, ...text } };
}

test('the form shows every training field the issue names, in order, and leaves reporting and data to the settings', () => {
  const keys = NEW_RUN_FIELDS.map((f) => f.key);
  for (const key of ['preset', 'learningRate', 'batchSize', 'steps', 'init', 'keepProb', 'seed', 'backend'] as const) assert.ok(keys.includes(key), key);
  assert.equal(keys[0], 'preset');
  assert.equal(keys[1], 'learningRate');
  assert.deepEqual(keys.slice(-8), ['batchSize', 'steps', 'init', 'denseInitScale', 'keepProb', 'labelSmoothing', 'seed', 'backend']);
  for (const key of ['logEvery', 'evalEvery', 'checkpointEvery', 'dataDir']) assert.ok(!keys.includes(key as never), key);
  // Every field of the config is either shown or left to the settings: none is forgotten.
  assert.equal(keys.length + 4, Object.keys(PRESETS.default).length);
  const byKey = new Map(NEW_RUN_FIELDS.map((f) => [f.key, f]));
  assert.deepEqual(byKey.get('backend')!.options, ['tensorflow', 'tensorflow-gpu']);
  assert.deepEqual(byKey.get('init')!.options, ['seed', 'he']);
  assert.equal(byKey.get('learningRate')!.control, 'number');
  assert.equal(byKey.get('learningRate')!.label, 'Learning rate');
  assert.match(byKey.get('steps')!.hint, /55,000 images/);
  // The learning-rate levers follow the learning rate: the schedule a choice, the rest numbers.
  assert.deepEqual(keys.slice(1, 7), ['learningRate', 'lrSchedule', 'warmupSteps', 'lrFloor', 'denseLrScale', 'adamEpsilon']);
  assert.deepEqual(byKey.get('lrSchedule')!.options, ['constant', 'cosine']);
  assert.equal(byKey.get('warmupSteps')!.control, 'number');
  assert.equal(byKey.get('adamEpsilon')!.label, 'Adam ε');
  for (const field of NEW_RUN_FIELDS) assert.ok(field.label.length > 0, `${field.key} has a label`);
});

test('pre-filled from the settings: set values override the preset, the rest are the preset\'s', () => {
  const form = formFromSettings({ preset: 'default', learningRate: 0.0005, batchSize: 32, seed: 7, logEvery: 5 });
  assert.equal(form.text.preset, 'default');
  assert.equal(form.text.learningRate, '0.0005');
  assert.equal(form.text.batchSize, '32');
  assert.equal(form.text.steps, '1719');
  assert.equal(form.text.init, 'he');
  assert.equal(form.text.keepProb, '1');
  assert.equal(form.text.seed, '7');
  assert.equal(form.text.backend, 'tensorflow');
  assert.equal(form.lengthUnit, 'steps');
  // Unchanged, the form runs exactly what Train would, reporting settings included.
  const check = checkNewRunForm(form);
  assert.deepEqual(check.problems, {});
  assert.deepEqual(check.config, { ...PRESETS.default, learningRate: 0.0005, batchSize: 32, seed: 7, logEvery: 5 });
});

test('invalid settings pre-fill the default preset instead', () => {
  const form = formFromSettings({ learningRate: 'fast' });
  assert.deepEqual(checkNewRunForm(form).config, PRESETS.default);
});

test('each invalid value is explained under its own field with the shared validators\' words, and nothing can run', () => {
  const form = edited(formFromConfig(PRESETS.default), {
    learningRate: '0', batchSize: '2.5', keepProb: 'half', seed: '-1', steps: '', init: 'xavier',
  });
  const check = checkNewRunForm(form);
  assert.equal(check.config, null);
  assert.equal(startRunMessage(form), null);
  assert.deepEqual(check.problems, {
    learningRate: 'learningRate must be greater than 0 and at most 10 (got 0)',
    batchSize: 'batchSize must be a whole number (got 2.5)',
    keepProb: 'keepProb must be a number (got "half")',
    seed: 'seed must be at least 0 and at most 2147483647 (got -1)',
    steps: 'steps must be a number (got "")',
    init: 'init must be one of seed, he (got "xavier")',
  });
});

test('numbers are read as decimals only: hex, commas and words are quoted back, not guessed', () => {
  const base = formFromConfig(PRESETS.default);
  assert.equal(checkNewRunForm(edited(base, { learningRate: '0x10' })).problems.learningRate, 'learningRate must be a number (got "0x10")');
  assert.equal(checkNewRunForm(edited(base, { learningRate: '0,001' })).problems.learningRate, 'learningRate must be a number (got "0,001")');
  assert.equal(checkNewRunForm(edited(base, { learningRate: 'Infinity' })).problems.learningRate, 'learningRate must be a number (got "Infinity")');
  assert.equal(checkNewRunForm(edited(base, { learningRate: ' 3e-4 ' })).config!.learningRate, 3e-4);
  assert.equal(checkNewRunForm(edited(base, { learningRate: '.002' })).config!.learningRate, 0.002);
});

test('fixing the invalid value makes the form valid again', () => {
  const bad = edited(formFromConfig(PRESETS.default), { learningRate: '-0.01' });
  assert.deepEqual(Object.keys(checkNewRunForm(bad).problems), ['learningRate']);
  const fixed = edited(bad, { learningRate: '0.002' });
  assert.deepEqual(checkNewRunForm(fixed).problems, {});
  assert.equal(checkNewRunForm(fixed).config!.learningRate, 0.002);
});

test('epochs convert to steps on the 55,000 training images at the chosen batch size', () => {
  assert.equal(TRAINING_SPLIT_IMAGES, 55_000);
  assert.equal(epochsToSteps(1, 64), 860); // the default preset's one epoch
  assert.equal(epochsToSteps(1, 10), 5500);
  assert.equal(epochsToSteps(2, 128), 860);
  assert.equal(epochsToSteps(0.5, 64), 430);
  assert.equal(stepsToEpochs(860, 64), 1);
  assert.equal(stepsToEpochs(2000, 10), 0.36);

  const form: NewRunFormState = { ...edited(formFromConfig(PRESETS.default), { batchSize: '32' }), lengthUnit: 'epochs', epochsText: '2' };
  assert.equal(checkNewRunForm(form).config!.steps, 3438);
  assert.equal(epochNote(form), '1 epoch = 55,000 training images = 1,719 steps at batch 32.');
  // The steps box is ignored while the length is in epochs, even when it holds nonsense.
  assert.equal(checkNewRunForm(edited(form, { steps: 'abc' })).config!.steps, 3438);
});

test('invalid epochs are explained under the epochs box; an invalid batch size leaves the conversion to its own message', () => {
  const form: NewRunFormState = { ...formFromConfig(PRESETS.default), lengthUnit: 'epochs', epochsText: '0' };
  assert.deepEqual(checkNewRunForm(form).problems, { epochs: 'epochs must be a number greater than 0 (got 0)' });
  assert.deepEqual(checkNewRunForm({ ...form, epochsText: 'one' }).problems, { epochs: 'epochs must be a number greater than 0 (got "one")' });
  assert.deepEqual(checkNewRunForm({ ...form, epochsText: '1e9' }).problems, { epochs: 'steps must be at least 1 and at most 10000000 (got 1718750000000)' });
  const noBatch = edited({ ...form, epochsText: '1' }, { batchSize: '0' });
  assert.deepEqual(checkNewRunForm(noBatch).problems, { batchSize: 'batchSize must be at least 1 and at most 4096 (got 0)' });
  assert.equal(epochNote(noBatch), '1 epoch = 55,000 training images.');
});

test('choosing a preset fills in its values but keeps the backend and the settings-only fields', () => {
  const fromSettings: TrainingConfig = { ...PRESETS.default, backend: 'tensorflow-gpu', logEvery: 5, learningRate: 0.01 };
  const form = choosePreset(formFromConfig(fromSettings), 'seed');
  assert.equal(form.text.preset, 'seed');
  assert.equal(form.text.init, 'seed');
  assert.equal(form.text.batchSize, '10');
  assert.equal(form.text.steps, '2000');
  assert.equal(form.text.learningRate, '0.001');
  assert.equal(form.text.backend, 'tensorflow-gpu');
  assert.deepEqual(checkNewRunForm(form).config, { ...PRESETS.seed, backend: 'tensorflow-gpu', logEvery: 5, evalEvery: PRESETS.default.evalEvery, checkpointEvery: PRESETS.default.checkpointEvery });
  // Not a preset: the form stays as it was.
  assert.equal(choosePreset(form, 'turbo' as never), form);
});

test('Run sends a startRun message with the form\'s config, which the host\'s guard accepts as it is', () => {
  const form = edited(formFromConfig(PRESETS.default), { learningRate: '0.0003', steps: '40', batchSize: '16' });
  const message = startRunMessage(form);
  assert.deepEqual(message, { type: 'startRun', config: { ...PRESETS.default, learningRate: 0.0003, steps: 40, batchSize: 16 } });
  assert.deepEqual(validateConfig(message!.config as unknown as Record<string, unknown>), []);
  const parsed = parseWebviewToHost(JSON.parse(JSON.stringify(message)));
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.message, message);
});

test('a constant schedule makes the floor inapplicable, with the reason; it then never blocks Run and a cosine needs it again', () => {
  const cosine = formFromConfig(PRESETS.default);
  assert.deepEqual(inapplicableFields(cosine), {}, 'with the cosine every lever applies');
  const constant = edited(cosine, { lrSchedule: 'constant' });
  assert.deepEqual(Object.keys(inapplicableFields(constant)), ['lrFloor']);
  assert.match(inapplicableFields(constant).lrFloor!, /no decay to end at/);
  // The seed preset trains at a constant rate: its floor is disabled from the start.
  assert.deepEqual(Object.keys(inapplicableFields(formFromConfig(PRESETS.seed))), ['lrFloor']);
  // An invalid floor, typed before the schedule became constant, cannot be fixed while disabled: it does not block Run.
  const badFloor = edited(constant, { lrFloor: '7' });
  const check = checkNewRunForm(badFloor);
  assert.deepEqual(check.problems, {});
  assert.equal(check.config!.lrFloor, PRESETS.default.lrFloor, 'the value the form was filled with');
  assert.equal(checkNewRunForm(edited(constant, { lrFloor: '0.2' })).config!.lrFloor, 0.2, 'a valid typed floor is kept');
  // Back to cosine, the floor applies and its problem shows.
  assert.equal(checkNewRunForm(edited(badFloor, { lrSchedule: 'cosine' })).problems.lrFloor, 'lrFloor must be at least 0 and at most 1 (got 7)');
});

test('the form the webview keeps while the panel is hidden comes back as it was; anything else kept there is dropped', () => {
  const form = { ...edited(formFromConfig(PRESETS.default), { learningRate: '0.0003', warmupSteps: 'five' }), lengthUnit: 'epochs' as const, epochsText: '2' };
  // Through JSON, as vscode.setState/getState keep it.
  const back = restoreNewRunForm(JSON.parse(JSON.stringify(form)));
  assert.deepEqual(back, form, 'invalid typing included: the user sees what they typed');
  assert.equal(checkNewRunForm(back!).problems.warmupSteps, 'warmupSteps must be a number (got "five")');
  for (const kept of [
    null, undefined, 'form', 42, [],
    { ...form, base: { ...form.base, learningRate: -1 } },
    { ...form, base: { ...form.base, extra: 1 } },
    { ...form, text: { ...form.text, learningRate: 3e-4 } },
    { ...form, text: { ...form.text, notAField: '1' } },
    { ...form, text: { ...form.text, seed: 'x'.repeat(10_000) } },
    { ...form, lengthUnit: 'minutes' },
    { ...form, epochsText: null },
    { ...form, extra: true },
    (({ text: _t, ...rest }) => rest)(form),
  ]) {
    assert.equal(restoreNewRunForm(kept), null, JSON.stringify(kept)?.slice(0, 120));
  }
  // What comes back is a copy: editing it leaves the kept object alone.
  const keptObject = JSON.parse(JSON.stringify(form));
  restoreNewRunForm(keptObject)!.text.learningRate = '1';
  assert.equal(keptObject.text.learningRate, '0.0003');
});
