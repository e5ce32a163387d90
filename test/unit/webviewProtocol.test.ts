// The host's guard on panel messages: only known intents with sane fields get through.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWebviewToHost } from '../../shared/webviewProtocol';

test('well-formed panel messages are accepted', () => {
  assert.deepEqual(parseWebviewToHost({ type: 'ready' }), { ok: true, message: { type: 'ready' } });
  assert.deepEqual(parseWebviewToHost({ type: 'selectBlock', blockId: 'res2a' }), { ok: true, message: { type: 'selectBlock', blockId: 'res2a' } });
  assert.deepEqual(parseWebviewToHost({ type: 'runCommand', command: 'stop' }), { ok: true, message: { type: 'runCommand', command: 'stop' } });
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
