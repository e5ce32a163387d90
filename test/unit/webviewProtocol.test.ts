// The host's guard on panel messages: only known intents with sane fields get through.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PRESETS } from '../../shared/trainingConfig';
import { isSettingsResult, parseWebviewToHost } from '../../shared/webviewProtocol';

test('well-formed panel messages are accepted', () => {
  assert.deepEqual(parseWebviewToHost({ type: 'ready' }), { ok: true, message: { type: 'ready' } });
  assert.deepEqual(parseWebviewToHost({ type: 'selectBlock', blockId: 'res2a' }), { ok: true, message: { type: 'selectBlock', blockId: 'res2a' } });
  assert.deepEqual(parseWebviewToHost({ type: 'runCommand', command: 'stop' }), { ok: true, message: { type: 'runCommand', command: 'stop' } });
  assert.deepEqual(parseWebviewToHost({ type: 'openSettings' }), { ok: true, message: { type: 'openSettings' } });
  assert.deepEqual(parseWebviewToHost({ type: 'openSettings', extra: 'x' }), { ok: false, error: 'openSettings has an unknown field "extra"' });
});

test('the snapshot\'s nextRun guard accepts a valid config or a list of problems', () => {
  assert.equal(isSettingsResult({ ok: true, config: PRESETS.default }), true);
  assert.equal(isSettingsResult({ ok: true, config: { ...PRESETS.seed, steps: 5, dataDir: '/data' } }), true);
  assert.equal(isSettingsResult({ ok: false, problems: ['resnetLab.steps: steps must be a number (got "abc")'] }), true);
  // A problem quotes the user's value, however long; the panel must still get its snapshot.
  assert.equal(isSettingsResult({ ok: false, problems: [`resnetLab.steps: steps must be a number (got "${'x'.repeat(5000)}")`] }), true);
});

test('the snapshot\'s nextRun guard rejects every malformed value', () => {
  const cases: unknown[] = [
    null, undefined, 'ok', [], {},
    { ok: 'true', config: PRESETS.default },
    { ok: true },
    { ok: true, config: null },
    { ok: true, config: { ...PRESETS.default, steps: 'abc' } },
    { ok: true, config: { ...PRESETS.default, batchSize: -1 } },
    { ok: true, config: { ...PRESETS.default, preset: 'huge' } },
    { ok: true, config: { ...PRESETS.default, extra: 1 } },
    { ok: false },
    { ok: false, problems: [] },
    { ok: false, problems: 'steps' },
    { ok: false, problems: [42] },
    { ok: false, problems: ['steps', null] },
  ];
  for (const value of cases) assert.equal(isSettingsResult(value), false, JSON.stringify(value));
});

test('malformed panel messages are rejected with a reason', () => {
  const cases: [unknown, RegExp][] = [
    [null, /not an object/],
    ['ready', /not an object/],
    [[{ type: 'ready' }], /not an object/],
    [{ type: 'deleteEverything' }, /unknown message type "deleteEverything"/],
    [{ type: 'selectBlock' }, /blockId is missing/],
    [{ type: 'ready', extra: 1 }, /unknown field "extra"/],
    [{ type: 'selectBlock', blockId: '../../etc/passwd' }, /blockId must be a block name/],
    [{ type: 'selectBlock', blockId: 'x'.repeat(100) }, /blockId must be a string of at most 64 characters/],
    [{ type: 'runCommand', command: 'rm -rf' }, /command must be one of train, stop, resume, evaluateTest \(got "rm -rf"\)/],
    [{ type: 'runCommand' }, /command is missing/],
  ];
  for (const [raw, reason] of cases) {
    const result = parseWebviewToHost(raw);
    assert.equal(result.ok, false, JSON.stringify(raw));
    if (!result.ok) assert.match(result.error, reason);
  }
});
