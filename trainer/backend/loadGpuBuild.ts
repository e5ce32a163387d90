// The `tensorflow-gpu` backend: tfjs-node's binding built against the GPU libtensorflow
// (scripts/provision-tensorflow-gpu.mjs). Before anything trains it finds the device it will use,
// or says in one sentence why there is none. It never trains on the CPU unless a test asks.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { errorFirstLine } from '../../shared/errorMessage';
import { cacheRoot, GPU_BUILD, gpuBuildLayout, hasGpuTrainerEnv, TEST_ONLY_ALLOW_CPU_ENV, type GpuBuildLayout } from '../../shared/gpuTensorflowBuild';
import { describeDevice, diagnoseGpu, libraryProblem, type GpuFacts } from './gpuDiagnosis';
import { collectGpuFacts } from './gpuFacts';

export const GPU_HOW_TO_GET = 'Run `npm run setup -- --gpu` in the ResNet Lab folder, or the command "ResNet Lab: Install GPU Support": ' +
  `it fetches TensorFlow ${GPU_BUILD.tensorflow.version} and its CUDA 12 libraries from PyPI. The GPU needs the NVIDIA driver ${GPU_BUILD.minimumDriver} or newer.`;

export interface GpuBuildDeps {
  env: NodeJS.ProcessEnv;
  layout: GpuBuildLayout;
  collectFacts: (env: NodeJS.ProcessEnv) => GpuFacts;
  requireBinding: (dir: string) => unknown;
}

export function defaultGpuBuildDeps(): GpuBuildDeps {
  return {
    env: process.env,
    layout: gpuBuildLayout(cacheRoot(process.env, os.homedir())),
    collectFacts: collectGpuFacts,
    // The copy lives outside node_modules, so its path is only known at run time.
    requireBinding: (dir) => require(dir),
  };
}

export interface LoadedGpuBuild {
  /** e.g. "libtensorflow 2.20.0 (GPU build) on NVIDIA H100 … (compute capability 9.0, 81,559 MiB), driver 550.54.15". */
  description: string;
  warning?: string;
}

/** Throws an Error whose message is the one sentence the user reads; loadBackend adds the backend name. */
export async function loadGpuBuild(deps: GpuBuildDeps = defaultGpuBuildDeps()): Promise<LoadedGpuBuild> {
  const { layout, env } = deps;
  if (!fs.existsSync(`${layout.root}/.complete`)) {
    throw new Error(`the GPU build of TensorFlow is not installed (no ${layout.root}). ${GPU_HOW_TO_GET}`);
  }
  if (!hasGpuTrainerEnv(layout, env)) {
    throw new Error('this trainer was started without the GPU build\'s library path (LD_LIBRARY_PATH); ' +
      'start it from the extension or `npm run train`, which set it.');
  }
  const allowCpu = env[TEST_ONLY_ALLOW_CPU_ENV] === '1';
  const facts = deps.collectFacts(env);
  const diagnosis = diagnoseGpu(facts);
  if (!diagnosis.ok && !allowCpu) throw new Error(diagnosis.message);
  // A CUDA library that does not load is a broken install, also on a test machine without a driver.
  const broken = libraryProblem(facts);
  if (broken) throw new Error(broken);

  try {
    deps.requireBinding(layout.bindingDir);
  } catch (error) {
    throw new Error(`the GPU build's tfjs-node binding in ${layout.bindingDir} did not load (${errorFirstLine(error)}). ${GPU_HOW_TO_GET}`);
  }
  if (!(await tf.setBackend('tensorflow').catch(() => false)) || tf.getBackend() !== 'tensorflow') {
    throw new Error(`the GPU build's binding in ${layout.bindingDir} loaded but tfjs could not switch to it. ${GPU_HOW_TO_GET}`);
  }
  const backend = tf.backend() as unknown as { isUsingGpuDevice?: boolean; binding?: { TF_Version?: string } };
  const build = `libtensorflow ${backend.binding?.TF_Version ?? '?'} (GPU build)`;
  if (backend.isUsingGpuDevice === true && diagnosis.ok) {
    return { description: `${build} on ${describeDevice(diagnosis.device)}, driver ${diagnosis.driverVersion}` };
  }
  const reason = diagnosis.ok
    ? `no visible GPU device: nvidia-smi lists ${describeDevice(diagnosis.device)} but TensorFlow registered no GPU (its log above says why)`
    : diagnosis.message;
  if (!allowCpu) throw new Error(reason);
  return {
    description: `${build} on the CPU (test-only ${TEST_ONLY_ALLOW_CPU_ENV}=1)`,
    warning: `${TEST_ONLY_ALLOW_CPU_ENV}=1 is set, so the GPU build trains on the CPU: ${reason}`,
  };
}
