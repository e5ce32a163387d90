// `npm run export` flags → checkpoint folder and OUT, and a UsageError in words for every bad flag.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../trainer/cli/commandLine';
import { EXPORT_USAGE, parseExportArgs } from '../../trainer/export/parseExportArgs';

function assertUsageError(argv: string[], fragment: string): void {
  assert.throws(() => parseExportArgs(argv), (err: unknown) => {
    assert.ok(err instanceof UsageError, `expected UsageError for ${JSON.stringify(argv)}, got ${String(err)}`);
    assert.ok(err.message.includes(fragment), `"${err.message}" lacks "${fragment}"`);
    return true;
  });
}

test('--checkpoint-dir and --out, with or without --json', () => {
  assert.deepEqual(parseExportArgs(['--checkpoint-dir', 'checkpoints/default', '--out', 'model']), { checkpointDir: 'checkpoints/default', out: 'model', json: false });
  assert.deepEqual(parseExportArgs(['--out', 'm', '--checkpoint-dir', 'c', '--json']), { checkpointDir: 'c', out: 'm', json: true });
});

test('a run folder may be given as the one positional argument', () => {
  assert.deepEqual(parseExportArgs(['runs/run-1', '--out', 'model']), { checkpointDir: 'runs/run-1', out: 'model', json: false });
});

test('--help wins over everything else', () => {
  assert.equal(parseExportArgs(['--help']), 'help');
  assert.equal(parseExportArgs(['-h', '--out', 'x']), 'help');
  assert.match(EXPORT_USAGE, /serving_default/);
});

test('bad flags are usage errors that say what is wrong', () => {
  assertUsageError([], '--checkpoint-dir (or a run folder) is required');
  assertUsageError(['--checkpoint-dir', 'c'], '--out is required');
  assertUsageError(['--out', 'm'], '--checkpoint-dir (or a run folder) is required');
  assertUsageError(['a', 'b', '--out', 'm'], 'one run folder at most');
  assertUsageError(['a', '--checkpoint-dir', 'c', '--out', 'm'], 'not both');
  assertUsageError(['--checkpoint-dir', 'c', '--out', 'm', '--force'], "Unknown option '--force'");
  assertUsageError(['--checkpoint-dir', '--out', 'm'], "'--checkpoint-dir' argument is ambiguous");
});
