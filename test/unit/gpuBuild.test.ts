// The GPU build for real, on this machine: provisioned by `npm run setup -- --gpu` (CI does it),
// its binding linked against it, its CUDA libraries loadable from the trainer's library path,
// a few training steps of the seed network on it (on the CPU, by the test-only switch, where there
// is no GPU), and, without the switch, the one-line refusal this machine really produces.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { cacheRoot, GPU_BUILD, gpuBuildLayout, gpuTrainerEnv, TEST_ONLY_ALLOW_CPU_ENV } from '../../shared/gpuTensorflowBuild';
import type { GpuDiagnosis } from '../../trainer/backend/gpuDiagnosis';
import { cliBundle, projectRoot, tempDir } from '../support/paths';

const layout = gpuBuildLayout(cacheRoot(process.env, os.homedir()));
const nodeModules = path.join(projectRoot, 'node_modules');
const gpuEnv = { ...process.env, ...gpuTrainerEnv(layout, nodeModules, process.env), TF_CPP_MIN_LOG_LEVEL: '2' };
const NOT_PROVISIONED = `the GPU build is not provisioned in ${layout.root}: run \`npm run setup -- --gpu\` (CI does)`;
// A developer who ran plain `npm run setup` gets these tests skipped with that reason; CI
// (CI=true, which provisions it) gets them failed instead, so a broken provisioning never hides.
const provisioned = fs.existsSync(`${layout.root}/.complete`);
const skip = !provisioned && process.env.CI !== 'true' ? NOT_PROVISIONED : false;

/** Runs `script` in a fresh Node with the trainer's GPU environment; returns its JSON output. */
function inGpuTrainerEnv(script: string): unknown {
  const result = spawnSync(process.execPath, ['-e', script], { cwd: projectRoot, env: gpuEnv, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout.trim().split('\n').pop()!);
}

/** What the trainer's pre-flight check concludes on this machine, with the GPU build's library path. */
function machineDiagnosis(): GpuDiagnosis & { libraryErrors: unknown[] } {
  return inGpuTrainerEnv(`
    const { collectGpuFacts } = require(${JSON.stringify(path.join(projectRoot, 'out', 'trainer', 'backend', 'gpuFacts.js'))});
    const { diagnoseGpu } = require(${JSON.stringify(path.join(projectRoot, 'out', 'trainer', 'backend', 'gpuDiagnosis.js'))});
    const facts = collectGpuFacts();
    console.log(JSON.stringify({ ...diagnoseGpu(facts), libraryErrors: facts.libraryErrors }));`) as GpuDiagnosis & { libraryErrors: unknown[] };
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; events: Record<string, unknown>[]; stderr: string }> {
  const child = spawn(process.execPath, [cliBundle, ...args], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => { stdout += c; });
  child.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
  return new Promise((resolve) => child.on('close', (code) => resolve({
    code, stderr, events: stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
  })));
}

test('the GPU libtensorflow is provisioned: both libraries, every CUDA library, and a binding linked to this build, apart from the CPU one', { skip }, () => {
  assert.ok(provisioned, NOT_PROVISIONED);
  for (const lib of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) assert.ok(fs.statSync(`${layout.root}/lib/${lib}`).size > 10e6, lib);
  for (const wheel of GPU_BUILD.cuda) {
    for (const lib of wheel.libraries) assert.ok(fs.existsSync(`${layout.root}/nvidia/${wheel.folder}/lib/${lib}`), `${wheel.distribution}: ${lib}`);
  }
  // The binding resolves both libtensorflow libraries inside the GPU folder, not node_modules' CPU ones.
  const binding = `${layout.bindingDir}/lib/napi-v8/tfjs_binding.node`;
  const ldd = spawnSync('ldd', [binding], { encoding: 'utf8', env: gpuEnv });
  assert.equal(ldd.status, 0, ldd.stderr);
  for (const lib of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) {
    const resolved = new RegExp(`^\\s*${lib.replace(/\./g, '\\.')} => (\\S+) `, 'm').exec(ldd.stdout)?.[1];
    assert.ok(resolved, `the binding links ${lib}:\n${ldd.stdout}`);
    assert.equal(path.resolve(resolved), `${layout.bindingDir}/deps/lib/${lib}`);
    // …which is the GPU build's own file (hard-linked), not a copy of something else.
    assert.equal(fs.statSync(resolved).ino, fs.statSync(`${layout.root}/lib/${lib}`).ino, lib);
  }
  assert.notEqual(fs.realpathSync(binding), fs.realpathSync(path.join(nodeModules, '@tensorflow', 'tfjs-node', 'lib', 'napi-v8', 'tfjs_binding.node')));
});

test('the binding loads the GPU build (TensorFlow 2.20.0) and every CUDA library loads from the trainer\'s library path', { skip }, () => {
  assert.ok(provisioned, NOT_PROVISIONED);
  const diagnosis = machineDiagnosis();
  assert.deepEqual(diagnosis.libraryErrors, [], 'cudart, cublas, cublasLt, cufft, cusolver, cusparse, nvjitlink, nvrtc and cudnn all load');
  const loaded = inGpuTrainerEnv(`
    const tf = require(${JSON.stringify(layout.bindingDir)});
    const sum = tf.tensor1d([1, 2, 3]).square().sum().dataSync()[0];
    console.log(JSON.stringify({ version: tf.backend().binding.TF_Version, backend: tf.getBackend(), usingGpu: tf.backend().isUsingGpuDevice, sum }));`) as Record<string, unknown>;
  assert.deepEqual(loaded, { version: GPU_BUILD.tensorflow.version, backend: 'tensorflow', usingGpu: diagnosis.ok, sum: 14 });
});

test('the gradients addon (built against the CPU libtensorflow) runs on the GPU build\'s libtensorflow when loaded after its binding: one libtensorflow in the process', { skip }, () => {
  assert.ok(provisioned, NOT_PROVISIONED);
  const out = path.join(projectRoot, 'out');
  const result = inGpuTrainerEnv(`
    const tf = require(${JSON.stringify(layout.bindingDir)});
    const { addTensorFlowGradients } = require(${JSON.stringify(path.join(out, 'trainer', 'graph', 'tensorflowGradients.js'))});
    const { GraphBuilder, DT_INT32 } = require(${JSON.stringify(path.join(out, 'trainer', 'graph', 'graphBuilder.js'))});
    const { GraphSession } = require(${JSON.stringify(path.join(out, 'trainer', 'graph', 'graphSession.js'))});
    const T = { T: { type: 1 } };
    const g = new GraphBuilder();
    const product = g.node('product', 'Mul', [g.placeholder('x', [3]), g.placeholder('w', [3])], T);
    const loss = g.node('loss', 'Sum', [product, g.int32Const('axis', [0])], { ...T, Tidx: { type: DT_INT32 }, keep_dims: { b: false } });
    const { graph, gradients } = addTensorFlowGradients(g, loss, ['w'], 'grads');
    const [dw] = new GraphSession(graph).run([['x', tf.tensor1d([1, -2, 3.5])], ['w', tf.tensor1d([4, 0.5, -1])]], gradients);
    const maps = require('node:fs').readFileSync('/proc/self/maps', 'utf8').split('\\n');
    const libraries = [...new Set(maps.filter((l) => l.includes('libtensorflow_cc')).map((l) => l.trim().split(/\\s+/).pop()))];
    console.log(JSON.stringify({ version: tf.backend().binding.TF_Version, dw: [...dw.dataSync()], libraries }));`) as Record<string, unknown>;
  assert.deepEqual(result, { version: GPU_BUILD.tensorflow.version, dw: [1, -2, 3.5], libraries: [`${layout.bindingDir}/deps/lib/libtensorflow_cc.so.2`] });
});

test(`with the test-only switch ${TEST_ONLY_ALLOW_CPU_ENV}=1 the GPU build trains the seed network as one graph, on the CPU where there is no GPU`, { skip }, async () => {
  assert.ok(provisioned, NOT_PROVISIONED);
  const diagnosis = machineDiagnosis();
  // The CLI is started without the library path: it must set it up itself (it re-runs itself with it).
  const { code, events, stderr } = await runCli(['--backend', 'tensorflow-gpu', '--preset', 'seed', '--steps', '3', '--log-every', '1', '--eval-every', '0',
    '--checkpoint-every', '0', '--checkpoint-dir', tempDir('gpu-train'), '--json'], { ...process.env, [TEST_ONLY_ALLOW_CPU_ENV]: '1', TF_CPP_MIN_LOG_LEVEL: '2' });
  assert.equal(code, 0, stderr);
  const started = events.find((e) => e.event === 'started')!;
  assert.equal(started.execution, 'graph', 'the graph engine runs on the GPU build');
  if (diagnosis.ok) {
    assert.match(String(started.backend), new RegExp(`^libtensorflow 2\\.20\\.0 \\(GPU build\\) on ${diagnosis.device.name}`));
  } else {
    assert.equal(started.backend, `libtensorflow 2.20.0 (GPU build) on the CPU (test-only ${TEST_ONLY_ALLOW_CPU_ENV}=1)`);
    assert.equal(started.warning, `${TEST_ONLY_ALLOW_CPU_ENV}=1 is set, so the GPU build trains on the CPU: ${diagnosis.message}`);
  }
  const progress = events.filter((e) => e.event === 'progress');
  assert.deepEqual(progress.map((p) => p.step), [1, 2, 3]);
  for (const p of progress) assert.ok(Number.isFinite(p.loss) && (p.loss as number) > 0, `loss ${String(p.loss)}`);
  const summary = events.find((e) => e.event === 'summary')!;
  assert.equal(summary.steps, 3);
  assert.equal(summary.outcome, 'finished');
});

test('without the switch, tensorflow-gpu refuses to train with the one-line reason this machine produces', { skip }, async (t) => {
  assert.ok(provisioned, NOT_PROVISIONED);
  const diagnosis = machineDiagnosis();
  if (diagnosis.ok) return t.skip(`this machine has a usable GPU (${diagnosis.device.name}); npm run check:gpu verifies it`);
  const env: NodeJS.ProcessEnv = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' };
  delete env[TEST_ONLY_ALLOW_CPU_ENV];
  const { code, events, stderr } = await runCli(['--backend', 'tensorflow-gpu', '--steps', '3', '--checkpoint-dir', tempDir('gpu-refused'), '--json'], env);
  assert.equal(code, 1);
  assert.equal(stderr, `error: The "tensorflow-gpu" backend cannot run: ${diagnosis.message}\n`, 'exactly one line');
  assert.ok(!events.some((e) => e.event === 'started' || e.event === 'progress'), 'nothing trained');
  // This machine (and CI) has no NVIDIA driver at all.
  if (!fs.existsSync('/proc/driver/nvidia/version')) assert.equal(diagnosis.kind, 'no-driver');
});
