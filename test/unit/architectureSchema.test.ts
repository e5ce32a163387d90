// The JSON Schema VS Code validates *.resnet.json with: the committed file is what the shared
// rules generate (so it cannot drift from the checks), package.json contributes it, and it
// describes every layer kind's fields with hover text.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { architectureJsonSchema, architectureSchemaText } from '../../shared/architectureSchema';
import { LAYER_KINDS, LAYER_OPS } from '../../shared/layerKinds';
import { projectRoot } from '../support/paths';

const SCHEMA_FILE = 'schemas/resnet-architecture.schema.json';

test('the committed schema file is the generated one (after a change: npm run build && node scripts/write-architecture-schema.mjs)', () => {
  assert.equal(fs.readFileSync(path.join(projectRoot, SCHEMA_FILE), 'utf8'), architectureSchemaText());
});

test('package.json contributes the schema for *.resnet.json files', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { contributes: { jsonValidation: { fileMatch: string; url: string }[] } };
  assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: '*.resnet.json', url: `./${SCHEMA_FILE}` }]);
});

test('every layer kind is one schema alternative with its op, every field required, hover text on each, and nothing else allowed', () => {
  const schema = architectureJsonSchema() as { properties: { blocks: { items: { properties: { layers: { items: { oneOf: Record<string, unknown>[] } } } } } } };
  const alternatives = schema.properties.blocks.items.properties.layers.items.oneOf as { properties: Record<string, { description?: string; const?: string }>; required: string[]; additionalProperties: boolean }[];
  assert.deepEqual(alternatives.map((a) => a.properties.op!.const), LAYER_OPS);
  alternatives.forEach((alternative, i) => {
    const op = LAYER_OPS[i]!;
    assert.deepEqual(alternative.required, ['op', ...Object.keys(LAYER_KINDS[op].fields)]);
    assert.equal(alternative.additionalProperties, false);
    for (const [key, field] of Object.entries(alternative.properties)) assert.ok((field.description ?? '').length > 10, `${op}.${key} has no hover text`);
  });
  const dropout = alternatives[LAYER_OPS.indexOf('dropout')]!.properties.keepProb as Record<string, unknown>;
  assert.deepEqual([dropout.exclusiveMinimum, dropout.maximum], [0, 1]);
});
