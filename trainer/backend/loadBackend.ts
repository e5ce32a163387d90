// Picks the TensorFlow.js backend the user asked for, or fails with one clear message. It never
// falls back to a slower backend: a silent 1000× slowdown is worse than an error.
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../../shared/trainingConfig';
import { errorFirstLine } from '../../shared/errorMessage';

export class BackendUnavailableError extends Error {
  constructor(readonly backend: BackendName, message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

export interface LoadedBackend {
  name: BackendName;
  /** What tfjs calls it: 'tensorflow' for both native packages, 'cpu' for pure JS. */
  tfjsBackend: string;
  /** e.g. "libtensorflow 2.15.1" or "pure JavaScript". */
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
    case '@tensorflow/tfjs-node-gpu': return require('@tensorflow/tfjs-node-gpu');
    // The union package, not tfjs-backend-cpu alone: it also registers tfjs's gradients (as
    // tfjs-node does by importing it), without which nothing can train.
    case '@tensorflow/tfjs': return require('@tensorflow/tfjs');
    default: throw new Error(`unexpected module ${id}`);
  }
};

const HOW_TO_GET: Record<BackendName, string> = {
  'tensorflow': 'Run `npm run setup` in the ResNet Lab folder (or `npm run provision:tensorflow` after `npm ci`); ' +
    'it installs libtensorflow from tfjs-node\'s download or, where that host is unreachable, from the tensorflow-cpu wheel on PyPI.',
  'tensorflow-gpu': 'Install it with `npm install @tensorflow/tfjs-node-gpu@4.22.0`. It needs Linux x86-64 with an NVIDIA GPU, ' +
    'CUDA 11.2 and cuDNN 8.1 (tfjs-node-gpu 4.22 is built on libtensorflow 2.9.1), and the NVIDIA driver for that CUDA.',
  'cpu': 'It ships with ResNet Lab as @tensorflow/tfjs; reinstall with `npm ci`.',
};

const PACKAGE: Record<BackendName, string> = {
  'tensorflow': '@tensorflow/tfjs-node',
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  'cpu': '@tensorflow/tfjs',
};


function nativeVersion(): string {
  const backend = tf.backend() as unknown as { binding?: { TF_Version?: string } };
  return backend.binding?.TF_Version ? `libtensorflow ${backend.binding.TF_Version}` : 'libtensorflow';
}

export async function loadBackend(name: BackendName, requireModule: RequireModule = defaultRequire): Promise<LoadedBackend> {
  const pkg = PACKAGE[name];
  // libtensorflow logs INFO lines (CPU features, every graph it loads) to stderr; they mean
  // nothing to users. Warnings and errors still show; an explicit setting wins.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '1';
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
  return { name, tfjsBackend, description: `${nativeVersion()}${name === 'tensorflow-gpu' ? ' (GPU build)' : ''}` };
}
