// Gathers what gpuDiagnosis.ts judges, on this machine, before TensorFlow loads: the NVIDIA
// kernel module's version, whether the driver's libcuda.so.1 and each CUDA library of the GPU
// build can be loaded, and the GPUs nvidia-smi lists.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { GPU_BUILD } from '../../shared/gpuTensorflowBuild';
import type { GpuFacts } from './gpuDiagnosis';

/**
 * Loads a shared library by soname, as TensorFlow will, and returns why it failed, or null.
 * process.dlopen is Node's addon loader; a plain library loads and then fails only the addon
 * check ("did not self-register"), which means it loaded. The library stays loaded, so the
 * dlopen TensorFlow does next finds it.
 */
export function loadLibraryError(soname: string): string | null {
  try {
    process.dlopen({ exports: {} } as NodeJS.Module, soname);
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return /did not self-register|Module did not/.test(message) ? null : message;
  }
}

function readOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function nvidiaSmi(): string | null {
  const result = spawnSync('nvidia-smi', ['--query-gpu=index,uuid,name,compute_cap,memory.total,driver_version', '--format=csv,noheader,nounits'], { encoding: 'utf8', timeout: 30_000 });
  // It exits non-zero with "No devices were found": that text is a fact too. Null only if it
  // is not installed or could not run.
  return result.error || result.status === null ? null : `${result.stdout}${result.stderr}`;
}

export function collectGpuFacts(env: NodeJS.ProcessEnv = process.env): GpuFacts {
  const libcudaError = loadLibraryError('libcuda.so.1');
  const libraryErrors: GpuFacts['libraryErrors'] = [];
  for (const library of GPU_BUILD.cuda.flatMap((c) => c.libraries)) {
    const error = loadLibraryError(library);
    if (error !== null) libraryErrors.push({ library, error });
  }
  return {
    driverVersionFile: readOrNull('/proc/driver/nvidia/version'),
    libcudaError,
    libraryErrors,
    nvidiaSmi: nvidiaSmi(),
    cudaVisibleDevices: env.CUDA_VISIBLE_DEVICES,
  };
}
