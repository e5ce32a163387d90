#!/usr/bin/env node
// `npm run setup [-- --gpu]`: npm packages, native TensorFlow (CPU), the addon through which
// TensorFlow writes the gradients (scripts/build-gradients-addon.mjs), with --gpu also the GPU build
// of TensorFlow (scripts/provision-tensorflow-gpu.mjs), then the build. A script rather than an
// `&&` chain in package.json, because npm appends `-- --gpu` to the last command of a chain.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const USAGE = 'Usage: npm run setup [-- --gpu]\n  --gpu  also provision the GPU build of TensorFlow (2.15 GB download) for the tensorflow-gpu backend';
const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--gpu');
if (unknown.length > 0) {
  console.error(`setup: unknown argument ${unknown.join(' ')}\n${USAGE}`);
  process.exit(2);
}
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const steps = [
  [npm, ['ci']],
  [process.execPath, ['scripts/provision-tensorflow.mjs']],
  [process.execPath, ['scripts/build-gradients-addon.mjs']],
  ...(args.includes('--gpu') ? [[process.execPath, ['scripts/provision-tensorflow-gpu.mjs']]] : []),
  [npm, ['run', 'build']],
];
for (const [command, commandArgs] of steps) {
  const result = spawnSync(command, commandArgs, { cwd: projectRoot, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
