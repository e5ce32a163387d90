// The guard on the export script's JSON line: valid reports pass, anything else is null.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExportReport } from '../../shared/modelExport';

const exported = { event: 'exported', out: '/o', checkpoint: '/c/checkpoint.rlck', step: 860, parameterCount: 13071562, bytes: 52294927 };

test('valid reports are accepted as they are', () => {
  assert.deepEqual(parseExportReport(JSON.stringify(exported)), exported);
  assert.deepEqual(parseExportReport(JSON.stringify({ ...exported, warning: 'w' })), { ...exported, warning: 'w' });
  const failed = { event: 'failed', problem: 'output', message: '/o already exists and is not empty; choose a new or empty folder for the SavedModel.' };
  assert.deepEqual(parseExportReport(JSON.stringify(failed)), failed);
});

test('malformed, unknown or out-of-range reports are rejected', () => {
  for (const line of [
    '', 'not json', '[]', 'null', '{"event":"done"}',
    JSON.stringify({ ...exported, step: -1 }),
    JSON.stringify({ ...exported, step: 1.5 }),
    JSON.stringify({ ...exported, bytes: 0 }),
    JSON.stringify({ ...exported, out: 42 }),
    JSON.stringify({ ...exported, out: 'x'.repeat(5000) }),
    JSON.stringify({ ...exported, warning: 7 }),
    JSON.stringify({ event: 'failed', problem: 'disk', message: 'm' }),
    JSON.stringify({ event: 'failed', problem: 'output' }),
  ]) assert.equal(parseExportReport(line), null, line);
});
