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
  [{ type: 'predictDigit' }, /^predictDigit\.pixels is missing$/],
  [{ type: 'predictDigit', pixels: Array.from({ length: 784 }, () => 0.5) }, /^predictDigit\.pixels must be 784 bytes as base64 \(1048 characters\) \(got an array of 784\)$/],
  [{ type: 'predictDigit', pixels: oversized }, /^predictDigit\.pixels must be 784 bytes as base64 \(1048 characters\), got 1046668 characters$/],
  [{ type: 'predictDigit', pixels: pixels.slice(4) }, /pixels must be 784 bytes as base64 \(1048 characters\), got 1044 characters/],
  [{ type: 'predictDigit', pixels: `${pixels.slice(0, -4)}!!!!` }, /^predictDigit\.pixels is not valid base64$/],
  [{ type: 'requestFeatureMaps', blockId: 'res2a' }, /^requestFeatureMaps\.probe is missing$/],
  [{ type: 'requestFeatureMaps', blockId: 'res2a', probe: { kind: 'probe', digit: 10 } }, /probe\.digit must be a whole number from 0 to 9 \(got 10\)/],
  [{ type: 'requestFeatureMaps', blockId: 'res2a', probe: { kind: 'probe', digit: 1.5 } }, /probe\.digit must be a whole number from 0 to 9 \(got 1\.5\)/],
  [{ type: 'requestFeatureMaps', blockId: 'res2a', probe: { kind: 'drawn', pixels: oversized } }, /probe\.pixels must be 784 bytes as base64 \(1048 characters\), got 1046668 characters/],
  [{ type: 'requestFeatureMaps', blockId: 'res2a', probe: { kind: 'file', path: '/etc/passwd' } }, /probe\.kind must be one of probe, drawn \(got "file"\)/],
  [{ type: 'requestFeatureMaps', blockId: 'res2a', probe: { kind: 'drawn', pixels, path: '/etc/passwd' } }, /probe has an unknown field "path"/],
  [{ type: 'requestFeatureMaps', blockId: '../x', probe: { kind: 'probe', digit: 1 } }, /blockId must be a block name \(got "\.\.\/x"\)/],
  [{ type: 'requestFeatureMaps', blockId: 'b'.repeat(65), probe: { kind: 'probe', digit: 1 } }, /blockId must be a string of at most 64 characters/],
  [{ type: 'requestFeatureMaps', blockId: 'res2a', probe: { kind: 'probe', digit: 1 }, extra: 1 }, /^requestFeatureMaps has an unknown field "extra"$/],
  [{ type: 'requestProbeDigits', padding: 'x'.repeat(1_000_000) }, /^requestProbeDigits has an unknown field "padding"$/],
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
  assert.deepEqual(noId, { ok: false, error: 'predictDigit.requestId is missing' });
  const noIdProbes = parseHostToTrainer({ type: 'requestProbeDigits', requestId: 0 });
  assert.deepEqual(noIdProbes, { ok: false, error: 'requestProbeDigits.requestId must be a positive whole number (got 0)' });
  const inspectBad = parseHostToTrainer({ type: 'inspect', config: {}, checkpointDir: 'x', loadModel: true });
  assert.ok(!inspectBad.ok && /^inspect\.config: preset is missing/.test(inspectBad.error));
});

test('well-formed inside-view requests pass both guards unchanged', () => {
  const drawn = { kind: 'drawn', pixels };
  assert.deepEqual(parseWebviewToHost({ type: 'predictDigit', pixels }), { ok: true, message: { type: 'predictDigit', pixels } });
  assert.deepEqual(parseWebviewToHost({ type: 'requestFeatureMaps', blockId: 'res2a', probe: drawn }),
    { ok: true, message: { type: 'requestFeatureMaps', blockId: 'res2a', probe: drawn } });
  assert.deepEqual(parseWebviewToHost({ type: 'requestProbeDigits' }), { ok: true, message: { type: 'requestProbeDigits' } });
  assert.deepEqual(parseHostToTrainer({ type: 'requestFeatureMaps', requestId: 2, blockId: 'stem', probe: { kind: 'probe', digit: 4 } }),
    { ok: true, message: { type: 'requestFeatureMaps', requestId: 2, blockId: 'stem', probe: { kind: 'probe', digit: 4 } } });
});
