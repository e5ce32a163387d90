#!/usr/bin/env node
// Leaves a working @tensorflow/tfjs-node (native libtensorflow + compiled N-API binding).
//
// tfjs-node's own install script downloads libtensorflow 2.9.1 from Google storage. Where that
// host is unreachable (these machines; users behind firewalls; the bucket's 403s in
// tensorflow/tfjs#8742) the install fails. This script:
//   1. does nothing if tfjs-node already loads (a second run is instant);
//   2. tries tfjs-node's official install unchanged (source `auto` or `official`);
//   3. otherwise takes libtensorflow from TensorFlow's CPU wheel on PyPI: the wheel is only
//      downloaded and unzipped (never installed into a Python), its C-API libraries and headers
//      are staged where tfjs-node's binding.gyp expects them, and the binding is compiled.
// The unpacked wheel is cached outside node_modules, so `npm ci` + this script reuses it.
//
// Environment:
//   RESNET_LAB_TF_SOURCE  auto (default) | official | wheel
//   RESNET_LAB_CACHE      cache folder (default $XDG_CACHE_HOME/resnet-lab or ~/.cache/resnet-lab)
//   PYTHON                python used for `pip download` and unzipping (default python3)
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildBinding, cacheRoot, createReporter, downloadWheels, extractFromWheel, findWheel, libtensorflowRules,
  probeTfjsNode, runLogged, stageLibtensorflow, WHEEL_LIBS,
} from './tensorflowWheels.mjs';

// Why 2.15.1: the first wheels that ship the C API in libtensorflow_cc.so.2 (no libpython
// needed) are 2.12+; 2.15.1 is the newest whose headers still compile tfjs-node 4.22's binding
// unchanged and whose kernels tfjs-node 4.22 was tested against most closely (see README).
const WHEEL = {
  name: 'tensorflow-cpu',
  version: '2.15.1',
  pythonVersion: '3.11',
  platform: 'manylinux2014_x86_64',
};

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(projectRoot, 'package.json'));
const source = process.env.RESNET_LAB_TF_SOURCE ?? 'auto';
const python = process.env.PYTHON ?? 'python3';
const reporter = createReporter('provision-tensorflow');
const { log, fail } = reporter;

/** Where steps whose full output only matters on failure write it (kept with this install). */
const setupLogDir = path.join(projectRoot, 'node_modules', '.cache', 'resnet-lab');

function tfjsNodeDir() {
  try {
    return path.dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
  } catch {
    fail('@tensorflow/tfjs-node is not installed. Run `npm ci` first (or `npm run setup`, which does both).');
  }
}

function nativeBackendWorks() {
  return probeTfjsNode('@tensorflow/tfjs-node', { cwd: projectRoot });
}

/** Downloads and unpacks the wheel's libraries and headers once; later runs reuse the cache. */
function ensureUnpackedWheel() {
  const target = path.join(cacheRoot(), `libtensorflow-${WHEEL.name}-${WHEEL.version}-${WHEEL.platform}`);
  const marker = path.join(target, '.complete');
  if (fs.existsSync(marker)) {
    log(`reusing ${WHEEL.name} ${WHEEL.version} libraries cached in ${target}`);
    return target;
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    fail(`The PyPI fallback is provided for Linux x86-64 only (this is ${process.platform}-${process.arch}). ` +
      'Install @tensorflow/tfjs-node where its official download works, or see the README.');
  }
  const download = downloadWheels(reporter, {
    python, requirements: [`${WHEEL.name}==${WHEEL.version}`], platforms: [WHEEL.platform], pythonVersion: WHEEL.pythonVersion, requireHashes: false,
    announce: `downloading the ${WHEEL.name}==${WHEEL.version} wheel from PyPI (about 200 MB; only unpacked, never installed)`,
  });
  const wheelFile = findWheel(reporter, download, WHEEL.name);

  // Unpack into a sibling temp folder and rename, so an interrupted run never leaves a cache
  // that looks complete.
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(`${target}.partial-`);
  reporter.temporaries.add(staging);
  log(`unpacking libtensorflow_cc / libtensorflow_framework and the C headers from ${path.basename(wheelFile)}`);
  extractFromWheel(reporter, python, wheelFile, staging, [...libtensorflowRules(), { file: `${WHEEL.name.replace(/-/g, '_')}-${WHEEL.version}.dist-info/LICENSE`, to: 'LICENSE' }]);
  for (const lib of WHEEL_LIBS) {
    if (!fs.existsSync(path.join(staging, 'lib', lib))) fail(`${path.basename(wheelFile)} does not contain tensorflow/${lib}; this wheel cannot serve tfjs-node.`);
  }
  fs.writeFileSync(path.join(staging, '.complete'), `${WHEEL.name}==${WHEEL.version}\n`);
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(staging, target);
  fs.rmSync(download, { recursive: true, force: true });
  return target;
}

function preGypPackageJson(tfjsDir) {
  try {
    return require.resolve('@mapbox/node-pre-gyp/package.json', { paths: [tfjsDir] });
  } catch {
    fail('@mapbox/node-pre-gyp (a dependency of tfjs-node) is missing. Run `npm ci` again.');
  }
}

// Network errors that mean "Google storage cannot be reached from here", as tfjs-node's
// install.js reports them (it dies on an unhandled 'error' event, or gets an HTTP error page).
const UNREACHABLE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|certificate|status code 40[13]|403 Forbidden/i;

/**
 * Runs tfjs-node's own install.js unchanged, its output in a log file: where Google storage is
 * unreachable it dies with a Node stack trace, which is expected here and not worth showing.
 * Returns null on success, else why it failed and where its output is.
 */
function tryOfficialInstall(tfjsDir) {
  log("trying tfjs-node's official install (libtensorflow download from Google storage)");
  const official = runLogged(path.join(setupLogDir, 'tfjs-node-official-install.log'), process.execPath, ['scripts/install.js'], { cwd: tfjsDir });
  if (official.ok && nativeBackendWorks() !== null) return null;
  const output = fs.readFileSync(official.logFile, 'utf8').split('\n');
  const networkError = output.find((line) => UNREACHABLE.test(line));
  const why = networkError
    ? `the official libtensorflow download is unreachable (${networkError.replace(/^\s*(Error:\s*)?/, '').trim()})`
    : `the official install failed (${official.ok ? 'tfjs-node does not load' : official.reason})`;
  return { why, logFile: official.logFile };
}

function main() {
  if (!['auto', 'official', 'wheel'].includes(source)) fail(`RESNET_LAB_TF_SOURCE must be auto, official or wheel (got "${source}").`);
  const tfjsDir = tfjsNodeDir();
  const existing = nativeBackendWorks();
  if (existing) {
    log(`@tensorflow/tfjs-node already works (${existing}); nothing to do`);
    return;
  }
  const officialFailure = source === 'wheel' ? { why: 'RESNET_LAB_TF_SOURCE=wheel' } : tryOfficialInstall(tfjsDir);
  if (officialFailure === null) {
    log('official install succeeded');
  } else {
    const output = officialFailure.logFile ? ` (full output: ${officialFailure.logFile})` : '';
    if (source === 'official') fail(`${officialFailure.why}${output}; RESNET_LAB_TF_SOURCE=official forbids the PyPI fallback.`);
    log(`${officialFailure.why}: using the ${WHEEL.name} ${WHEEL.version} wheel from PyPI instead${output}`);
    stageLibtensorflow(reporter, ensureUnpackedWheel(), tfjsDir);
    buildBinding(reporter, tfjsDir, preGypPackageJson(tfjsDir), path.join(setupLogDir, 'tfjs-node-binding-build.log'));
  }
  const version = nativeBackendWorks();
  if (!version) fail('tfjs-node was staged and built but still does not load; see the errors above.');
  log(`done: @tensorflow/tfjs-node runs on the native backend (${version})`);
}

main();
