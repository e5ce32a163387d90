// Guards on the inside views' requests, on both edges: malformed or oversized requests for
// feature maps or predictions are refused with a reason before anything acts on them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeBase64 } from '../../shared/base64Bytes';
import { parseHostToTrainer } from '../../shared/trainerProtocol';
import { parseWebviewToHost } from '../../shared/webviewProtocol';

const pixels = encodeBase64(new Uint8Array(784).fill(7));
const oversized = encodeBase64(new Uint8Array(785 * 1000));

/** [message without requestId, expected reason] for both edges. */
const BAD_REQUESTS: [Record<string, unknown>, RegExp][] = [
  [{ type: 'predictDigit' }, /pixels must be a base64 string/],
  [{ type: 'predictDigit', pixels: Array.from({ length: 784 }, () => 0.5) }, /pixels must be a base64 string/],
  [{ type: 'predictDigit', pixels: oversized }, /pixels must be 784 bytes as base64 \(1048 characters\), got 1046668 characters/],
  [{ type: 'predictDigit', pixels: pixels.slice(4) }, /pixels must be 784 bytes/],
  [{ type: 'predictDigit', pixels: `${pixels.slice(0, -4)}!!!!` }, /not valid base64/],
  [{ type: 'requestFeatureMaps', blockId: 'res2a' }, /probe must be an object/],
  [{ type: 'requestFeatureMaps', blockId: 'res2a', probe: { kind: 'probe', digit: 10 } }, /probe.digit must be a whole number 0–9/],
  [{ type: 'requestFeatureMaps', blockId: 'res2a', probe: { kind: 'probe', digit: 1.5 } }, /probe.digit/],
  [{ type: 'requestFeatureMaps', blockId: 'res2a', probe: { kind: 'drawn', pixels: oversized } }, /probe.pixels must be 784 bytes/],
  [{ type: 'requestFeatureMaps', blockId: 'res2a', probe: { kind: 'file', path: '/etc/passwd' } }, /probe.kind must be probe or drawn/],
  [{ type: 'requestFeatureMaps', blockId: '../x', probe: { kind: 'probe', digit: 1 } }, /blockId must be a block name/],
  [{ type: 'requestFeatureMaps', blockId: 'b'.repeat(65), probe: { kind: 'probe', digit: 1 } }, /blockId must be a block name/],
];

test('the host refuses malformed or oversized inside-view requests from the panel', () => {
  for (const [raw, reason] of BAD_REQUESTS) {
    const result = parseWebviewToHost(raw);
    assert.equal(result.ok, false, JSON.stringify(raw).slice(0, 120));
    if (!result.ok) assert.match(result.error, reason);
  }
});

test('the trainer refuses the same requests, and ones without a request id', () => {
  for (const [raw, reason] of BAD_REQUESTS) {
    const result = parseHostToTrainer({ ...raw, requestId: 3 });
    assert.equal(result.ok, false, JSON.stringify(raw).slice(0, 120));
    if (!result.ok) assert.match(result.error, reason);
  }
  const noId = parseHostToTrainer({ type: 'predictDigit', pixels });
  assert.ok(!noId.ok && /requestId must be a positive integer/.test(noId.error));
  const noIdProbes = parseHostToTrainer({ type: 'requestProbeDigits', requestId: 0 });
  assert.ok(!noIdProbes.ok && /requestId must be a positive integer/.test(noIdProbes.error));
  const inspectBad = parseHostToTrainer({ type: 'inspect', config: {}, checkpointDir: 'x' });
  assert.ok(!inspectBad.ok && /^inspect: /.test(inspectBad.error));
});

test('well-formed inside-view requests pass both guards unchanged', () => {
  const drawn = { kind: 'drawn', pixels };
  assert.deepEqual(parseWebviewToHost({ type: 'predictDigit', pixels }), { ok: true, message: { type: 'predictDigit', pixels } });
  assert.deepEqual(parseWebviewToHost({ type: 'requestFeatureMaps', blockId: 'res2a', probe: drawn, extra: 1 }),
    { ok: true, message: { type: 'requestFeatureMaps', blockId: 'res2a', probe: drawn } });
  assert.deepEqual(parseWebviewToHost({ type: 'requestProbeDigits' }), { ok: true, message: { type: 'requestProbeDigits' } });
  assert.deepEqual(parseHostToTrainer({ type: 'requestFeatureMaps', requestId: 2, blockId: 'stem', probe: { kind: 'probe', digit: 4 } }),
    { ok: true, message: { type: 'requestFeatureMaps', requestId: 2, blockId: 'stem', probe: { kind: 'probe', digit: 4 } } });
});
