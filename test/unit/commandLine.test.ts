// The two command-line programs handle flags the same way (trainer/cli/commandLine.ts): --help
// prints the usage on stdout (exit 0), a bad flag prints the problem and the usage on stderr
// (exit 2), and neither shows a stack trace. Checked on the pure step and on the built bundles.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { EXIT_USAGE, parseCommandLine, UsageError } from '../../trainer/cli/commandLine';
import { USAGE } from '../../trainer/cli/parseCliArgs';
import { EXPORT_USAGE, parseExportArgs } from '../../trainer/export/parseExportArgs';
import { cliBundle, exportBundle, projectRoot } from '../support/paths';

const exportProgram = { usage: EXPORT_USAGE, parse: parseExportArgs };

test('parsing: options to run with, or the exit code and what to print', () => {
  assert.deepEqual(parseCommandLine(exportProgram, ['--checkpoint-dir', 'ck', '--out', 'model']), { options: { checkpointDir: 'ck', out: 'model', json: false } });
  assert.deepEqual(parseCommandLine(exportProgram, ['--help']), { exitCode: 0, stdout: EXPORT_USAGE });
  assert.deepEqual(parseCommandLine(exportProgram, ['--out', 'model']), { exitCode: EXIT_USAGE, stderr: `--checkpoint-dir (or a run folder) is required\n\n${EXPORT_USAGE}` });
  assert.equal(EXIT_USAGE, 2);
  // Only a usage error is the user's to fix by flags; anything else goes on to the "error:" line.
  assert.throws(() => parseCommandLine({ usage: 'u', parse: () => { throw new Error('disk on fire'); } }, []), /^Error: disk on fire$/);
  assert.ok(new UsageError('x') instanceof Error);
});

const run = (bundle: string, args: string[]) => spawnSync(process.execPath, [bundle, ...args], { cwd: projectRoot, encoding: 'utf8' });

test('npm run train and npm run export: --help on stdout with exit 0, an unknown flag on stderr with the usage and exit 2', () => {
  for (const [bundle, usage] of [[cliBundle, USAGE], [exportBundle, EXPORT_USAGE]] as const) {
    const help = run(bundle, ['--help']);
    assert.deepEqual([help.status, help.stdout, help.stderr], [0, `${usage}\n`, '']);
    const bad = run(bundle, ['--bogus']);
    assert.equal(bad.status, 2);
    assert.equal(bad.stdout, '');
    // node:util's own sentence (longer where positionals are allowed), then a blank line and the usage.
    const [problem, ...rest] = bad.stderr.split('\n\n');
    assert.match(problem!, /^Unknown option '--bogus'/);
    assert.doesNotMatch(problem!, /\n/);
    assert.equal(rest.join('\n\n'), `${usage}\n`);
  }
  const badNumber = run(cliBundle, ['--steps', 'ten']);
  assert.deepEqual([badNumber.status, badNumber.stderr], [2, `--steps needs a number (got "ten")\n\n${USAGE}\n`]);
});
