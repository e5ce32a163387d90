// Where the GPU build lives and the environment its trainer starts with: one computation shared
// by the extension host, the CLI and the trainer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cacheRoot, GPU_BUILD, gpuBuildLayout, gpuTrainerEnv, hasGpuTrainerEnv, trainerEnvFor } from '../../shared/gpuTensorflowBuild';

test('the cache folder: RESNET_LAB_CACHE, else $XDG_CACHE_HOME/resnet-lab, else ~/.cache/resnet-lab', () => {
  assert.equal(cacheRoot({ RESNET_LAB_CACHE: '/c', XDG_CACHE_HOME: '/x' }, '/home/u'), '/c');
  assert.equal(cacheRoot({ XDG_CACHE_HOME: '/x' }, '/home/u'), '/x/resnet-lab');
  assert.equal(cacheRoot({ XDG_CACHE_HOME: '' }, '/home/u'), '/home/u/.cache/resnet-lab');
});

test('the GPU build is pinned: tensorflow 2.20.0 and the eight CUDA 12 wheels, each with a sha256', () => {
  assert.equal(GPU_BUILD.tensorflow.version, '2.20.0');
  assert.deepEqual(GPU_BUILD.cuda.map((c) => c.distribution).sort(), [
    'nvidia-cublas-cu12', 'nvidia-cuda-nvrtc-cu12', 'nvidia-cuda-runtime-cu12', 'nvidia-cudnn-cu12',
    'nvidia-cufft-cu12', 'nvidia-cusolver-cu12', 'nvidia-cusparse-cu12', 'nvidia-nvjitlink-cu12',
  ]);
  for (const wheel of [GPU_BUILD.tensorflow, ...GPU_BUILD.cuda]) assert.match(wheel.sha256, /^[0-9a-f]{64}$/, wheel.distribution);
});

test('the trainer environment puts every CUDA library folder first on LD_LIBRARY_PATH and keeps what was there', () => {
  const layout = gpuBuildLayout('/c');
  assert.equal(layout.root, `/c/${GPU_BUILD.folder}`);
  assert.equal(layout.bindingDir, `/c/${GPU_BUILD.folder}/tfjs-node`);
  const env = gpuTrainerEnv(layout, '/ext/node_modules', { LD_LIBRARY_PATH: '/opt/lib', NODE_PATH: '/np' });
  assert.equal(env.LD_LIBRARY_PATH, [...layout.libraryDirs, '/opt/lib'].join(':'));
  assert.ok(layout.libraryDirs.includes(`/c/${GPU_BUILD.folder}/nvidia/cudnn/lib`));
  assert.equal(env.NODE_PATH, '/ext/node_modules:/np');
  assert.equal(env.CUDA_DEVICE_ORDER, 'PCI_BUS_ID');
  assert.ok(hasGpuTrainerEnv(layout, env));
  assert.ok(!hasGpuTrainerEnv(layout, { LD_LIBRARY_PATH: '/opt/lib' }));
  assert.ok(!hasGpuTrainerEnv(layout, {}));
});

test('only tensorflow-gpu trainers get the GPU environment', () => {
  assert.deepEqual(trainerEnvFor('tensorflow', { RESNET_LAB_CACHE: '/c' }, '/home/u', '/nm'), {});
  assert.deepEqual(trainerEnvFor('cpu', { RESNET_LAB_CACHE: '/c' }, '/home/u', '/nm'), {});
  const gpu = trainerEnvFor('tensorflow-gpu', { RESNET_LAB_CACHE: '/c' }, '/home/u', '/nm');
  assert.ok(hasGpuTrainerEnv(gpuBuildLayout('/c'), gpu));
});
