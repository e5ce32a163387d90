#!/usr/bin/env node
// Provisions the GPU build of libtensorflow for the `tensorflow-gpu` backend (`npm run setup -- --gpu`,
// or the palette command "ResNet Lab: Install GPU Support", which runs this script).
//
// tfjs-node-gpu 4.22 is built on libtensorflow 2.9.1 with CUDA 11.2, too old for current GPUs, and
// Google stopped publishing libtensorflow after 2.15. The Linux `tensorflow` wheels on PyPI carry
// the CUDA kernels in libtensorflow_cc.so.2 and load CUDA and cuDNN at run time from the
// nvidia-*-cu12 wheels. This script:
//   1. downloads the pinned tensorflow wheel and the CUDA 12 wheels it needs
//      (scripts/gpu-tensorflow.json) with `pip download --require-hashes`: never installed into a
//      Python, only unzipped;
//   2. unpacks libtensorflow, its C headers and the CUDA libraries into a versioned folder beside
//      the CPU one in the cache (nvidia/<name>/lib/, the layout of site-packages);
//   3. copies the tfjs-node package there (tfjs-node and tfjs-node-gpu 4.22 have the same binding
//      sources) and compiles its N-API binding against the GPU libtensorflow, so it lives apart
//      from node_modules/@tensorflow/tfjs-node's CPU binding and survives `npm ci`;
//   4. loads that binding in a fresh process and runs one op.
// A second run reuses what works and does nothing else. Nothing needs a GPU here: the GPU build
// runs on the CPU when no GPU is usable (the trainer refuses that unless a test asks for it).
//
// Environment: RESNET_LAB_CACHE (cache folder), PYTHON (python for pip and unzipping, default python3).
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildBinding, cacheRoot, createReporter, downloadWheels, extractFromWheel, findWheel, libtensorflowRules,
  probeTfjsNode, stageLibtensorflow, WHEEL_LIBS,
} from './tensorflowWheels.mjs';

const scriptsDir = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(scriptsDir, '..');
const require = createRequire(path.join(projectRoot, 'package.json'));
const BUILD = JSON.parse(fs.readFileSync(path.join(scriptsDir, 'gpu-tensorflow.json'), 'utf8'));
const python = process.env.PYTHON ?? 'python3';
const reporter = createReporter('provision-tensorflow-gpu');
const { log, fail } = reporter;

// Cancelled (the palette's Cancel, Ctrl-C): leave no half-made folder behind.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    reporter.cleanUp();
    console.error(`\n[provision-tensorflow-gpu] cancelled (${signal}); nothing was left half-made`);
    process.exit(130);
  });
}

const target = path.join(cacheRoot(), BUILD.folder);
const bindingDir = path.join(target, 'tfjs-node');
const nodeModules = path.join(projectRoot, 'node_modules');

/** The trainer's environment for this build, as shared/gpuTensorflowBuild.ts sets it. */
function gpuEnv() {
  const libDirs = BUILD.cuda.map((c) => path.join(target, 'nvidia', c.folder, 'lib'));
  return {
    LD_LIBRARY_PATH: [...libDirs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
    NODE_PATH: nodeModules,
  };
}

function bindingWorks() {
  return probeTfjsNode(bindingDir, { cwd: projectRoot, env: gpuEnv() });
}

function requirement(wheel) {
  return `${wheel.distribution}==${wheel.version} --hash=sha256:${wheel.sha256}`;
}

/** Downloads and unpacks libtensorflow and the CUDA libraries into `staging`; returns bytes downloaded. */
function unpackWheels(staging) {
  const wheels = [BUILD.tensorflow, ...BUILD.cuda];
  const download = downloadWheels(reporter, {
    python, requirements: wheels.map(requirement), platforms: BUILD.platforms, pythonVersion: BUILD.pythonVersion, requireHashes: true,
    announce: `downloading ${wheels.map((w) => `${w.distribution}==${w.version}`).join(', ')} from PyPI ` +
      '(2.15 GB, checked against pinned sha256; only unpacked, never installed)',
  });
  let downloaded = 0;
  for (const wheel of wheels) {
    const file = findWheel(reporter, download, wheel.distribution);
    downloaded += fs.statSync(file).size;
    log(`unpacking ${path.basename(file)}`);
    const rules = wheel === BUILD.tensorflow
      ? libtensorflowRules()
      : [{ prefix: `nvidia/${wheel.folder}/lib/lib`, to: `nvidia/${wheel.folder}/lib/lib` }];
    extractFromWheel(reporter, python, file, staging, rules);
    // Each wheel is unpacked and deleted in turn, so the download never sits on disk twice.
    fs.rmSync(file);
  }
  fs.rmSync(download, { recursive: true, force: true });
  for (const lib of WHEEL_LIBS) {
    if (!fs.existsSync(path.join(staging, 'lib', lib))) fail(`the tensorflow ${BUILD.tensorflow.version} wheel has no tensorflow/${lib}; it cannot serve tfjs-node.`);
  }
  for (const c of BUILD.cuda) {
    for (const lib of c.libraries) {
      if (!fs.existsSync(path.join(staging, 'nvidia', c.folder, 'lib', lib))) fail(`${c.distribution}==${c.version} has no nvidia/${c.folder}/lib/${lib}.`);
    }
  }
  return downloaded;
}

/** A copy of the project's tfjs-node package under `dir`, with the GPU libtensorflow staged and its binding compiled. */
function buildGpuBinding(libDir, dir) {
  let tfjsDir;
  try {
    tfjsDir = path.dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
  } catch {
    fail('@tensorflow/tfjs-node is not installed. Run `npm ci` first (or `npm run setup -- --gpu`, which does both).');
  }
  fs.rmSync(dir, { recursive: true, force: true });
  // Its sources and JS, not its CPU libtensorflow (deps), build products (build, lib) or Python helpers.
  const skip = new Set(['deps', 'build', 'lib', 'python'].map((d) => path.join(tfjsDir, d)));
  fs.cpSync(tfjsDir, dir, { recursive: true, filter: (src) => !skip.has(src) });
  stageLibtensorflow(reporter, libDir, dir);
  buildBinding(reporter, dir, require.resolve('@mapbox/node-pre-gyp/package.json', { paths: [tfjsDir] }), path.join(dir, 'binding-build.log'));
  // Object files are only needed while compiling; the binding is in lib/.
  fs.rmSync(path.join(dir, 'build'), { recursive: true, force: true });
}

function diskUsage(dir) {
  let bytes = 0;
  const seen = new Set();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    const stat = fs.lstatSync(file);
    // Hard links (the staged libtensorflow) take their space once.
    if (!stat.isFile() || seen.has(stat.ino)) continue;
    seen.add(stat.ino);
    bytes += stat.blocks * 512;
  }
  return bytes;
}

function main() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    fail(`The GPU build is provided for Linux x86-64 only (this is ${process.platform}-${process.arch}).`);
  }
  // Two stages, each made in a temporary folder and renamed when complete, so an interrupted run
  // never leaves something that looks finished, and a failed compile keeps the 2 GB download.
  const marker = path.join(target, '.complete');
  if (fs.existsSync(marker)) {
    log(`reusing the libraries unpacked in ${target}`);
  } else {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const staging = fs.mkdtempSync(`${target}.partial-`);
    reporter.temporaries.add(staging);
    const downloaded = unpackWheels(staging);
    fs.writeFileSync(path.join(staging, '.complete'), `${[BUILD.tensorflow, ...BUILD.cuda].map((w) => `${w.distribution}==${w.version}`).join('\n')}\n`);
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(staging, target);
    reporter.temporaries.delete(staging);
    log(`downloaded ${(downloaded / 1e9).toFixed(2)} GB and unpacked it into ${target}`);
  }
  let version = bindingWorks();
  if (version) {
    log(`the GPU build's binding in ${bindingDir} already works (${version}); reusing it`);
  } else {
    const staging = fs.mkdtempSync(path.join(target, 'tfjs-node.partial-'));
    reporter.temporaries.add(staging);
    buildGpuBinding(target, staging);
    fs.rmSync(bindingDir, { recursive: true, force: true });
    fs.renameSync(staging, bindingDir);
    reporter.temporaries.delete(staging);
    version = bindingWorks();
    if (!version) fail(`The GPU build's binding in ${bindingDir} was built but does not load; see the errors above.`);
  }
  log(`done: ${target} holds ${(diskUsage(target) / 1e9).toFixed(2)} GB; its tfjs-node binding runs ${version}`);
}

main();
