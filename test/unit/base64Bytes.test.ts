// The base64 codec binary payloads cross process boundaries with, against Node's own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base64Length, decodeBase64, encodeBase64 } from '../../shared/base64Bytes';

test('encodes and decodes like Node, every length mod 3', () => {
  for (const length of [0, 1, 2, 3, 4, 5, 784, 7840]) {
    const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + 11) % 256);
    const text = encodeBase64(bytes);
    assert.equal(text, Buffer.from(bytes).toString('base64'));
    assert.equal(text.length, base64Length(length));
    assert.deepEqual(decodeBase64(text), bytes);
  }
});

test('malformed base64 is refused', () => {
  for (const bad of ['abc', 'ab=c', '====', 'ab$d', 'a===']) assert.equal(decodeBase64(bad), null, bad);
});
