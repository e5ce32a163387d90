// Property-based fuzzing of the three message guards (host → trainer, trainer → host, webview →
// host) with fast-check: generated valid messages are accepted as they are; the same messages
// with one thing broken, and garbage naming no message type, are refused with a reason and never
// throw; nothing pollutes Object.prototype. Seeded (FUZZ_SEED replays a failure; the seed is in
// the failure message), no time limits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseHostToTrainer, parseTrainerToHost } from '../../shared/trainerProtocol';
import type { ParseResult } from '../../shared/validation';
import { parseWebviewToHost } from '../../shared/webviewProtocol';
import {
  fuzzParameters, garbage, HOST_TO_TRAINER_TYPES, mutated, TRAINER_TO_HOST_TYPES, validHostToTrainer, validTrainerToHost, validWebviewToHost,
  WEBVIEW_TO_HOST_TYPES,
} from '../support/messageArbitraries';

const edges: { name: string; parse: (raw: unknown) => ParseResult<unknown>; valid: fc.Arbitrary<object>; types: readonly string[] }[] = [
  { name: 'host → trainer', parse: parseHostToTrainer, valid: validHostToTrainer, types: HOST_TO_TRAINER_TYPES },
  { name: 'trainer → host', parse: parseTrainerToHost, valid: validTrainerToHost, types: TRAINER_TO_HOST_TYPES },
  { name: 'webview → host', parse: parseWebviewToHost, valid: validWebviewToHost, types: WEBVIEW_TO_HOST_TYPES },
];

const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort();
const prototypeBefore = prototypeKeys();

function refused(result: ParseResult<unknown>): boolean {
  return !result.ok && typeof result.error === 'string' && result.error.length > 0;
}

for (const edge of edges) {
  test(`${edge.name}: 2,000 generated valid messages are accepted as they are, also after a JSON round trip`, () => {
    fc.assert(fc.property(edge.valid, (message) => {
      const direct = edge.parse(message);
      assert.ok(direct.ok, direct.ok ? '' : direct.error);
      assert.deepEqual(direct.message, message);
      const wire = JSON.parse(JSON.stringify(message)) as unknown;
      const overIpc = edge.parse(wire);
      assert.ok(overIpc.ok, overIpc.ok ? '' : overIpc.error);
    }), fuzzParameters(2000));
  });

  test(`${edge.name}: 10,000 valid messages with one field removed, added (__proto__, constructor, …) or retyped (huge arrays, deep nesting) are refused`, () => {
    fc.assert(fc.property(mutated(edge.valid), ({ message, what }) => {
      const result = edge.parse(message);
      assert.ok(refused(result), `accepted a message with ${what}`);
    }), fuzzParameters(10_000));
  });

  test(`${edge.name}: 10,000 garbage values (any type, huge, deeply nested, polluted keys) are refused without throwing`, () => {
    fc.assert(fc.property(garbage(edge.types), (raw) => {
      assert.ok(refused(edge.parse(raw)));
    }), fuzzParameters(10_000));
  });
}

test('no guard added anything to Object.prototype', () => {
  assert.deepEqual(prototypeKeys(), prototypeBefore);
  assert.equal(({} as Record<string, unknown>).type, undefined);
});
