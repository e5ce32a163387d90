// Picks the TensorFlow.js backend the user asked for, or fails with one clear message. It never
// falls back to a slower backend: a silent 1000× slowdown is worse than an error.
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../../shared/trainingConfig';
import { errorFirstLine, errorMessage } from '../../shared/errorMessage';
import { loadGpuBuild, type GpuBuildDeps } from './loadGpuBuild';

export class BackendUnavailableError extends Error {
  constructor(readonly backend: BackendName, message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

export interface LoadedBackend {
  name: BackendName;
  /** What tfjs calls it: 'tensorflow' for both native builds, 'cpu' for pure JS. */
  tfjsBackend: string;
  /** e.g. "libtensorflow 2.15.1", the GPU build with its device, or "pure JavaScript". */
  description: string;
  /** A warning worth showing the user before training starts. */
  warning?: string;
}

/** Module loader, injectable so the error paths are testable without uninstalling packages. */
export type RequireModule = (id: string) => unknown;

// Literal require() calls in a switch keep each package external and lazily loaded by esbuild.
const defaultRequire: RequireModule = (id) => {
  switch (id) {
    case '@tensorflow/tfjs-node': return require('@tensorflow/tfjs-node');
    // The union package, not tfjs-backend-cpu alone: it also registers tfjs's gradients (as
    // tfjs-node does by importing it), without which nothing can train.
    case '@tensorflow/tfjs': return require('@tensorflow/tfjs');
    default: throw new Error(`unexpected module ${id}`);
  }
};

type PackagedBackend = Exclude<BackendName, 'tensorflow-gpu'>;

const HOW_TO_GET: Record<PackagedBackend, string> = {
  'tensorflow': 'Run `npm run setup` in the ResNet Lab folder (or `npm run provision:tensorflow` after `npm ci`); ' +
    'it installs libtensorflow from tfjs-node\'s download or, where that host is unreachable, from the tensorflow-cpu wheel on PyPI.',
  'cpu': 'It ships with ResNet Lab as @tensorflow/tfjs; reinstall with `npm ci`.',
};

const PACKAGE: Record<PackagedBackend, string> = {
  'tensorflow': '@tensorflow/tfjs-node',
  'cpu': '@tensorflow/tfjs',
};


function nativeVersion(): string {
  const backend = tf.backend() as unknown as { binding?: { TF_Version?: string } };
  return backend.binding?.TF_Version ? `libtensorflow ${backend.binding.TF_Version}` : 'libtensorflow';
}

export async function loadBackend(name: BackendName, requireModule: RequireModule = defaultRequire, gpuDeps?: GpuBuildDeps): Promise<LoadedBackend> {
  // libtensorflow logs INFO lines (CPU features, every graph it loads) to stderr; they mean
  // nothing to users. Warnings and errors still show; an explicit setting wins.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '1';
  if (name === 'tensorflow-gpu') {
    try {
      const gpu = await loadGpuBuild(gpuDeps);
      return { name, tfjsBackend: 'tensorflow', ...gpu };
    } catch (error) {
      throw new BackendUnavailableError(name, `The "${name}" backend cannot run: ${errorMessage(error)}`);
    }
  }
  const pkg = PACKAGE[name];
  try {
    requireModule(pkg);
  } catch (error) {
    throw new BackendUnavailableError(name, `The "${name}" backend is not available: ${pkg} could not be loaded (${errorFirstLine(error)}). ${HOW_TO_GET[name]}`);
  }
  const tfjsBackend = name === 'cpu' ? 'cpu' : 'tensorflow';
  const ok = await tf.setBackend(tfjsBackend).catch(() => false);
  if (!ok || tf.getBackend() !== tfjsBackend) {
    throw new BackendUnavailableError(name, `The "${name}" backend loaded ${pkg} but tfjs could not switch to its "${tfjsBackend}" kernels. ${HOW_TO_GET[name]}`);
  }
  if (name === 'cpu') {
    return {
      name, tfjsBackend, description: 'pure JavaScript',
      warning: 'The pure-JavaScript cpu backend is for tiny test models: it needs about 95 s per training step of the seed ResNet at batch 10 (0.1 images/s), thousands of times slower than the native backend.',
    };
  }
  return { name, tfjsBackend, description: nativeVersion() };
}
