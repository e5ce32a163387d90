// The process boundaries are the compiler's: every folder is a TypeScript project that may import
// only the projects it references (tsconfig.json at the root lists the graph). These tests build a
// copy of the sources with one deliberately forbidden line added and expect the compiler's error
// for exactly that line, so a boundary that silently stopped holding fails here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { projectRoot, tempDir } from '../support/paths';

/** Which projects each project may import (its tsconfig references), as the root tsconfig documents it. */
const ALLOWED_IMPORTS: Record<string, string[]> = {
  shared: [],
  runStore: ['shared'],
  trainer: ['shared', 'runStore'],
  src: ['shared', 'runStore'],
  webview: ['shared'],
  test: ['shared', 'runStore', 'trainer', 'src'],
  bench: ['shared', 'trainer', 'src'],
};

/** The projects the copy needs: the three processes, their shared vocabulary and the run store. */
const COPIED_PROJECTS = ['shared', 'runStore', 'trainer', 'src', 'webview'];
const COPIED_FILES = ['tsconfig.base.json', 'tsconfig.node.json', 'tsconfig.json', 'package.json', 'scripts/gpu-tensorflow.json'];
const tscEntry = require.resolve('typescript/bin/tsc', { paths: [projectRoot] });

function readReferences(configFile: string): string[] {
  const { config, error } = ts.readConfigFile(configFile, ts.sys.readFile);
  assert.equal(error, undefined, `${configFile} parses`);
  const references = (config as { references?: { path: string }[] }).references ?? [];
  return references.map((r) => path.basename(path.resolve(path.dirname(configFile), r.path)));
}

test('the root tsconfig builds every project folder, and each project references only what it may import', () => {
  const projectFolders = fs.readdirSync(projectRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules' && fs.existsSync(path.join(projectRoot, entry.name, 'tsconfig.json')))
    .map((entry) => entry.name)
    .sort();
  assert.deepEqual(projectFolders, Object.keys(ALLOWED_IMPORTS).sort());
  assert.deepEqual(readReferences(path.join(projectRoot, 'tsconfig.json')).sort(), projectFolders);
  for (const [project, allowed] of Object.entries(ALLOWED_IMPORTS)) {
    assert.deepEqual(readReferences(path.join(projectRoot, project, 'tsconfig.json')).sort(), [...allowed].sort(), `${project}'s references`);
  }
});

/** A copy of the sources and configs with the repository's node_modules, built in its own out/. */
function copyOfTheSources(): string {
  const root = tempDir('project-boundaries');
  for (const project of COPIED_PROJECTS) fs.cpSync(path.join(projectRoot, project), path.join(root, project), { recursive: true });
  for (const file of COPIED_FILES) fs.cpSync(path.join(projectRoot, file), path.join(root, file));
  fs.symlinkSync(path.join(projectRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return root;
}

function build(root: string, projects: string[]): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [tscEntry, '--build', '--pretty', 'false', ...projects], { cwd: root, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Builds `project` with `probe` added as `<project>/boundaryProbe.ts`; returns the compiler's output. */
function buildWithProbe(root: string, project: string, probe: string): string {
  const probeFile = path.join(root, project, 'boundaryProbe.ts');
  fs.writeFileSync(probeFile, probe);
  try {
    const { status, output } = build(root, [project]);
    assert.notEqual(status, 0, `building ${project} with its probe fails:\n${output}`);
    return output;
  } finally {
    fs.rmSync(probeFile);
  }
}

/** The TS6307 error tsc gives for `<from>/boundaryProbe.ts` importing `target` (relative to the root). */
function notInProjectError(root: string, from: string, target: string): RegExp {
  return new RegExp(
    `^${escape(`${from}/boundaryProbe.ts`)}\\(1,\\d+\\): error TS6307: File '${escape(path.join(root, target))}' ` +
    `is not listed within the file list of project '${escape(path.join(root, from, 'tsconfig.json'))}'`,
    'm',
  );
}

test('an import across a process boundary, or a platform the code does not run on, fails the build', async (t) => {
  const root = copyOfTheSources();
  // The unchanged copy builds, so each failure below is the probe's doing.
  const clean = build(root, COPIED_PROJECTS);
  assert.equal(clean.status, 0, `the unchanged copy builds:\n${clean.output}`);

  await t.test('the extension host importing the trainer', () => {
    const output = buildWithProbe(root, 'src', "import { parseCliArgs } from '../trainer/cli/parseCliArgs';\nexport const probe = parseCliArgs;\n");
    assert.match(output, notInProjectError(root, 'src', 'trainer/cli/parseCliArgs.ts'));
  });

  await t.test('the trainer importing the extension host', () => {
    const output = buildWithProbe(root, 'trainer', "import { progressMessage } from '../src/provisionOutput';\nexport const probe = progressMessage;\n");
    assert.match(output, notInProjectError(root, 'trainer', 'src/provisionOutput.ts'));
  });

  await t.test('the webview importing the extension host', () => {
    const output = buildWithProbe(root, 'webview', "import { createNonce } from '../src/panel/webviewHtml';\nexport const probe = createNonce;\n");
    assert.match(output, notInProjectError(root, 'webview', 'src/panel/webviewHtml.ts'));
  });

  await t.test('shared code using Node or the DOM', () => {
    const output = buildWithProbe(root, 'shared', 'export const home = process.env.HOME;\nexport const title = document.title;\n');
    assert.match(output, /^shared\/boundaryProbe\.ts\(1,21\): error TS2591: Cannot find name 'process'\./m);
    assert.match(output, /^shared\/boundaryProbe\.ts\(2,22\): error TS2584: Cannot find name 'document'\./m);
  });

  await t.test('the webview using Node', () => {
    const output = buildWithProbe(root, 'webview', 'export const home = process.env.HOME;\n');
    assert.match(output, /^webview\/boundaryProbe\.ts\(1,21\): error TS2591: Cannot find name 'process'\./m);
  });
});
