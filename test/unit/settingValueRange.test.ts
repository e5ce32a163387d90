// Finding a setting's value in a settings.json text, for "Open settings.json" at the key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { settingValueRange } from '../../src/session/settingValueRange';

const valueOf = (text: string, key: string) => {
  const range = settingValueRange(text, key);
  return range && text.slice(range.start, range.end);
};

test('a wrong-type string value is found whole, escaped quotes included', () => {
  const text = '{\n  "resnetLab.preset": "default",\n  "resnetLab.steps": "a\\"bc",\n  "resnetLab.seed": 3\n}';
  assert.equal(valueOf(text, 'resnetLab.steps'), '"a\\"bc"');
});

test('numbers, literals and a last entry without a comma end where the value ends', () => {
  const text = '{\n  "resnetLab.steps": 120,\n  "resnetLab.seed": null ,\n  "resnetLab.learningRate": 1e-3\n}';
  assert.equal(valueOf(text, 'resnetLab.steps'), '120');
  assert.equal(valueOf(text, 'resnetLab.seed'), 'null');
  assert.equal(valueOf(text, 'resnetLab.learningRate'), '1e-3');
});

test('a missing key, a key that only looks alike, and a commented-out line are not matches', () => {
  const text = '{\n  // "resnetLab.steps": 5,\n  "resnetLabXsteps": 4,\n  "other.resnetLab.steps": 3\n}';
  assert.equal(settingValueRange(text, 'resnetLab.steps'), null);
  assert.equal(settingValueRange('{}', 'resnetLab.steps'), null);
  assert.equal(valueOf(`${text.slice(0, -1)},\n  "resnetLab.steps": "abc"\n}`, 'resnetLab.steps'), '"abc"');
});
