#!/usr/bin/env node
// Compiles native/addGradients.c, the tf_gradients addon (TensorFlow writes the graph engine's
// gradients: trainer/graph/tensorflowGradients.ts), with node-gyp against the libtensorflow and C
// headers that provision-tensorflow.mjs staged in tfjs-node's deps/, as that script compiles
// tfjs-node's own binding. One build serves the GPU backend too: the trainer loads the addon after
// tfjs-node, and the dynamic linker then binds it to the libtensorflow_cc.so.2 already loaded
// (the GPU build's, when that backend runs); the C API it calls is TensorFlow's stable one.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createReporter, nodeGypPath, nodeHeadersArgs, runLogged, tail } from './tensorflowWheels.mjs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = path.join(projectRoot, 'native');
const addon = path.join(nativeDir, 'build', 'Release', 'tf_gradients.node');
const deps = path.join(projectRoot, 'node_modules', '@tensorflow', 'tfjs-node', 'deps');
const logFile = path.join(projectRoot, 'node_modules', '.cache', 'resnet-lab', 'tf-gradients-addon-build.log');
const reporter = createReporter('build-gradients-addon');
const { log, fail } = reporter;
const USAGE = 'Usage: node scripts/build-gradients-addon.mjs [--if-missing]\n  --if-missing  do nothing if the addon is already built (npm test: a checkout set up before the addon existed)';
const args = process.argv.slice(2);
if (args.some((a) => a !== '--if-missing')) {
  console.error(`build-gradients-addon: unknown argument ${args.filter((a) => a !== '--if-missing').join(' ')}\n${USAGE}`);
  process.exit(2);
}
if (args.includes('--if-missing') && fs.existsSync(addon)) process.exit(0);

if (!fs.existsSync(path.join(deps, 'include', 'tensorflow', 'c', 'c_api.h'))) {
  fail(`libtensorflow's C headers are not in ${deps}; run \`npm run provision:tensorflow\` first (\`npm run setup\` does both).`);
}
log(`compiling ${path.relative(projectRoot, addon)} against ${path.relative(projectRoot, deps)} (output in ${logFile})`);
const built = runLogged(logFile, process.execPath, [nodeGypPath(reporter), 'rebuild', ...nodeHeadersArgs(), `--jobs=${os.cpus().length}`], { cwd: nativeDir });
if (!built.ok) fail(`Building the gradients addon failed (${built.reason}). It needs a C compiler, make and Python 3 (for gyp).\nLast lines of ${logFile}:\n${tail(logFile)}`);
log(`built ${path.relative(projectRoot, addon)}`);
