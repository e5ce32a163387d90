// `npm run train -- --print-architecture` and `--architecture FILE` as a terminal runs them (the
// built dist/cli.js): the seed's file on stdout, and a broken file as FILE:LINE:COL lines, exit 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { seedResNetArchitecture } from '../../shared/architecture';
import { architectureFileText, parseArchitectureFile } from '../../shared/architectureFile';
import { resolveConfig } from '../../shared/trainingConfig';
import { cliBundle, projectRoot, tempDir } from '../support/paths';

const cli = (args: string[]) => spawnSync(process.execPath, [cliBundle, ...args], { cwd: projectRoot, encoding: 'utf8' });

test('--print-architecture prints the seed network\'s file (with the preset\'s keep probability), which reads back as that spec', () => {
  const result = cli(['--print-architecture']);
  assert.equal(result.status, 0, result.stderr);
  const seed = seedResNetArchitecture(resolveConfig('default').keepProb);
  assert.equal(result.stdout, architectureFileText(seed));
  assert.deepEqual(parseArchitectureFile(result.stdout), { ok: true, spec: seed });
  const seedPreset = cli(['--print-architecture', '--preset', 'seed']);
  assert.deepEqual(parseArchitectureFile(seedPreset.stdout), { ok: true, spec: seedResNetArchitecture(0.5) });
});

test('an invalid architecture file exits with status 2, printing each problem as FILE:LINE:COL: message and training nothing', () => {
  const dir = tempDir('cli-architecture');
  const file = path.join(dir, 'broken.resnet.json');
  const text = architectureFileText(seedResNetArchitecture()).replace('"keepProb": 0.5', '"keepProb": 2').replace('"units": 10,', '"units": 12,');
  fs.writeFileSync(file, text);
  const result = cli(['--architecture', file, '--checkpoint-dir', path.join(dir, 'ck')]);
  assert.equal(result.status, 2);
  assert.equal(result.stdout, '');
  const keepLine = text.slice(0, text.indexOf('"keepProb": 2')).split('\n').length;
  assert.equal(result.stderr, `${file}:${keepLine}:23: dropout: keepProb must be more than 0 and at most 1 (the fraction of units kept while training), got 2: the seed uses 0.5\n`);
  assert.equal(fs.existsSync(path.join(dir, 'ck')), false);
});

test('a file that is not JSON, or cannot be read, is reported the same way with status 2', () => {
  const dir = tempDir('cli-architecture-json');
  const file = path.join(dir, 'torn.resnet.json');
  fs.writeFileSync(file, '{\n  "name": "x",\n  "blocks": [\n');
  const torn = cli(['--architecture', file]);
  assert.equal(torn.status, 2);
  assert.match(torn.stderr, new RegExp(`^${file.replace(/[.]/g, '\\.')}:4:1: invalid JSON: `));
  const missing = path.join(dir, 'missing.resnet.json');
  const unread = cli(['--architecture', missing]);
  assert.equal(unread.status, 2);
  assert.equal(unread.stderr, `${missing}:1:1: cannot read the architecture file (ENOENT: no such file or directory, open '${missing}')\n`);
});
