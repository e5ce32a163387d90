// Where the GPU build of libtensorflow lives (provisioned by scripts/provision-tensorflow-gpu.mjs
// from the pins in scripts/gpu-tensorflow.json) and the environment a trainer needs to run on it.
// Pure: the caller passes the environment and home folder, so the host, the CLI and the trainer
// compute the same paths, and tests can too. Linux-only, so paths join with '/'.
import build from '../scripts/gpu-tensorflow.json';

export interface PinnedWheel { distribution: string; version: string; sha256: string }
export interface CudaWheel extends PinnedWheel { folder: string; libraries: string[] }

export const GPU_BUILD: {
  folder: string;
  minimumDriver: string;
  tensorflow: PinnedWheel;
  cuda: CudaWheel[];
} = build;

/**
 * The switch that lets the GPU build train on the CPU when no GPU is usable. Only for tests on
 * machines without a GPU (CI): a user who asks for `tensorflow-gpu` never silently gets the CPU.
 */
export const TEST_ONLY_ALLOW_CPU_ENV = 'RESNET_LAB_TEST_ONLY_GPU_BUILD_MAY_RUN_ON_CPU';

export interface GpuBuildLayout {
  /** The versioned folder; it holds `.complete` once provisioned. */
  root: string;
  /** The copy of tfjs-node whose binding links this libtensorflow. */
  bindingDir: string;
  /** nvidia/<name>/lib for each CUDA wheel, in the order the libraries depend on each other. */
  libraryDirs: string[];
}

/** The cache folder; scripts/tensorflowWheels.mjs (cacheRoot) computes the same one. */
export function cacheRoot(env: Record<string, string | undefined>, homeDir: string): string {
  if (env.RESNET_LAB_CACHE) return env.RESNET_LAB_CACHE;
  return `${env.XDG_CACHE_HOME || `${homeDir}/.cache`}/resnet-lab`;
}

export function gpuBuildLayout(cache: string): GpuBuildLayout {
  const root = `${cache}/${GPU_BUILD.folder}`;
  return {
    root,
    bindingDir: `${root}/tfjs-node`,
    libraryDirs: GPU_BUILD.cuda.map((c) => `${root}/nvidia/${c.folder}/lib`),
  };
}

/**
 * What the trainer's environment needs, set before it starts (the dynamic loader reads
 * LD_LIBRARY_PATH once, at process start):
 * - LD_LIBRARY_PATH: TensorFlow dlopens CUDA by soname and finds it through its RUNPATH only in a
 *   site-packages layout beside the wheel's own tensorflow/ folder, which tfjs-node's binding is not;
 * - NODE_PATH: the tfjs-node copy lives in the cache, and its require('@tensorflow/tfjs') must
 *   reach the project's node_modules, the same tfjs-core the trainer uses;
 * - CUDA_DEVICE_ORDER: number GPUs as nvidia-smi does, so the device reported is the one used.
 */
export function gpuTrainerEnv(layout: GpuBuildLayout, nodeModules: string, env: Record<string, string | undefined>): Record<string, string> {
  return {
    LD_LIBRARY_PATH: [...layout.libraryDirs, env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
    NODE_PATH: [nodeModules, env.NODE_PATH].filter(Boolean).join(':'),
    CUDA_DEVICE_ORDER: 'PCI_BUS_ID',
  };
}

/** Whether this process was started with gpuTrainerEnv's library path. */
export function hasGpuTrainerEnv(layout: GpuBuildLayout, env: Record<string, string | undefined>): boolean {
  const dirs = (env.LD_LIBRARY_PATH ?? '').split(':');
  return layout.libraryDirs.every((dir) => dirs.includes(dir));
}

/**
 * The extra environment a trainer process for `backend` starts with: the GPU build's for
 * `tensorflow-gpu`, nothing for the others (so the CPU trainer never sees the CUDA libraries).
 */
export function trainerEnvFor(backend: string, env: Record<string, string | undefined>, homeDir: string, nodeModules: string): Record<string, string> {
  if (backend !== 'tensorflow-gpu') return {};
  return gpuTrainerEnv(gpuBuildLayout(cacheRoot(env, homeDir)), nodeModules, env);
}
