// The tensorflow-gpu backend's decisions before it loads anything: not installed, started without
// the library path, and each diagnosis, with and without the test-only CPU switch. The machine
// facts and the binding loader are fakes here; gpuBuild.test.ts runs the real ones.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { gpuBuildLayout, gpuTrainerEnv, TEST_ONLY_ALLOW_CPU_ENV } from '../../shared/gpuTensorflowBuild';
import type { GpuFacts } from '../../trainer/backend/gpuDiagnosis';
import { BackendUnavailableError, loadBackend } from '../../trainer/backend/loadBackend';
import type { GpuBuildDeps } from '../../trainer/backend/loadGpuBuild';
import { tempDir } from '../support/paths';

const NO_DRIVER: GpuFacts = {
  driverVersionFile: null, libcudaError: 'libcuda.so.1: cannot open shared object file: No such file or directory',
  libraryErrors: [], nvidiaSmi: null, cudaVisibleDevices: undefined,
};

function installedBuild(): { deps: GpuBuildDeps; bindingLoads: string[] } {
  const layout = gpuBuildLayout(tempDir('gpu-cache'));
  fs.mkdirSync(layout.root, { recursive: true });
  fs.writeFileSync(`${layout.root}/.complete`, '');
  const bindingLoads: string[] = [];
  const deps: GpuBuildDeps = {
    env: gpuTrainerEnv(layout, '/nm', {}),
    layout,
    collectFacts: () => NO_DRIVER,
    requireBinding: (dir) => {
      bindingLoads.push(dir);
      throw new Error('fake binding: not loaded in this test');
    },
  };
  return { deps, bindingLoads };
}

async function rejection(deps: GpuBuildDeps): Promise<string> {
  const error = await loadBackend('tensorflow-gpu', undefined, deps).then(() => null, (e: unknown) => e);
  assert.ok(error instanceof BackendUnavailableError, `expected BackendUnavailableError, got ${String(error)}`);
  assert.equal(error.backend, 'tensorflow-gpu');
  assert.doesNotMatch(error.message, /\n/, 'one line');
  return error.message;
}

test('not provisioned: says how to install it, from the palette or with npm run setup -- --gpu', async () => {
  const { deps } = installedBuild();
  fs.rmSync(`${deps.layout.root}/.complete`);
  const message = await rejection(deps);
  assert.match(message, /^The "tensorflow-gpu" backend cannot run: the GPU build of TensorFlow is not installed \(no .*\)\. Run `npm run setup -- --gpu`.*"ResNet Lab: Install GPU Support"/);
});

test('a trainer started without the GPU library path says so instead of failing on a missing library', async () => {
  const { deps, bindingLoads } = installedBuild();
  const message = await rejection({ ...deps, env: {} });
  assert.match(message, /started without the GPU build's library path \(LD_LIBRARY_PATH\)/);
  assert.deepEqual(bindingLoads, []);
});

test('without the test-only switch a machine without a usable GPU fails with the diagnosis, before TensorFlow loads', async () => {
  const { deps, bindingLoads } = installedBuild();
  const message = await rejection(deps);
  assert.equal(message, 'The "tensorflow-gpu" backend cannot run: no NVIDIA driver: libcuda.so.1 could not be loaded ' +
    '(libcuda.so.1: cannot open shared object file: No such file or directory). CUDA 12 needs the NVIDIA driver 525.60.13 or newer; `nvidia-smi` must list your GPU.');
  assert.deepEqual(bindingLoads, [], 'never got as far as loading TensorFlow');
});

test('the test-only switch lets a GPU-less machine go on to load the GPU build, but never past a CUDA library that did not load', async () => {
  const { deps, bindingLoads } = installedBuild();
  const allowed = { ...deps, env: { ...deps.env, [TEST_ONLY_ALLOW_CPU_ENV]: '1' } };
  assert.match(await rejection(allowed), /the GPU build's tfjs-node binding in .* did not load \(fake binding: not loaded in this test\)/);
  assert.deepEqual(bindingLoads, [deps.layout.bindingDir]);

  const brokenInstall = { ...allowed, collectFacts: (): GpuFacts => ({ ...NO_DRIVER, libraryErrors: [{ library: 'libcublasLt.so.12', error: 'libcublasLt.so.12: file too short' }] }) };
  bindingLoads.length = 0;
  assert.match(await rejection(brokenInstall), /: the CUDA library libcublasLt\.so\.12 did not load \(libcublasLt\.so\.12: file too short\)\. Run `npm run setup -- --gpu`/);
  assert.deepEqual(bindingLoads, []);
});
