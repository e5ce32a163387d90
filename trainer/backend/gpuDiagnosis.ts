// Why the GPU build can or cannot use a GPU here, in one sentence, from facts gathered before
// TensorFlow loads (gpuFacts.ts). Pure, so every case is tested on recorded inputs.
import { GPU_BUILD } from '../../shared/gpuTensorflowBuild';

export interface GpuFacts {
  /** /proc/driver/nvidia/version, or null when the NVIDIA kernel module is not loaded. */
  driverVersionFile: string | null;
  /** Why libcuda.so.1 (the driver's user-space library) could not be loaded, or null if it loaded. */
  libcudaError: string | null;
  /** The CUDA libraries of the GPU build that did not load, with the loader's reason. */
  libraryErrors: { library: string; error: string }[];
  /** What `nvidia-smi --query-gpu=index,uuid,name,compute_cap,memory.total,driver_version --format=csv,noheader,nounits` printed, or null if it cannot run. */
  nvidiaSmi: string | null;
  /** CUDA_VISIBLE_DEVICES as the trainer sees it. */
  cudaVisibleDevices: string | undefined;
}

export interface GpuDevice {
  index: number;
  uuid: string;
  name: string;
  computeCapability: string;
  memoryMiB: number;
}

export type GpuProblemKind = 'no-driver' | 'driver-too-old' | 'library-not-loaded' | 'no-visible-device';

export type GpuDiagnosis =
  | { ok: true; device: GpuDevice; driverVersion: string }
  | { ok: false; kind: GpuProblemKind; message: string };

/** "1.2.3" against "1.10": numeric part by part; a missing part counts as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** "NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug 19 …" → "535.104.05". */
export function parseDriverVersionFile(text: string): string | null {
  return /Kernel Module\s+(?:for \S+\s+)?(\d+\.\d+(?:\.\d+)?)/.exec(text)?.[1] ?? null;
}

/** nvidia-smi's CSV rows (index, uuid, name, compute_cap, memory.total, driver_version). */
export function parseNvidiaSmi(csv: string): { devices: GpuDevice[]; driverVersion: string | null } {
  const devices: GpuDevice[] = [];
  let driverVersion: string | null = null;
  for (const line of csv.split('\n')) {
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length !== 6 || !/^\d+$/.test(cells[0]!)) continue;
    const [index, uuid, name, computeCapability, memory, driver] = cells as [string, string, string, string, string, string];
    devices.push({ index: Number(index), uuid, name, computeCapability, memoryMiB: Number(memory) });
    driverVersion = driver;
  }
  return { devices, driverVersion };
}

/**
 * The devices CUDA will number 0, 1, … under CUDA_VISIBLE_DEVICES (indices or GPU-UUID
 * prefixes; CUDA stops at the first entry that matches nothing). Unset: all of them.
 */
export function visibleDevices(all: GpuDevice[], cudaVisibleDevices: string | undefined): GpuDevice[] {
  if (cudaVisibleDevices === undefined) return all;
  const visible: GpuDevice[] = [];
  for (const entry of cudaVisibleDevices.split(',').map((e) => e.trim())) {
    const device = /^\d+$/.test(entry)
      ? all.find((d) => d.index === Number(entry))
      : entry.startsWith('GPU-') ? all.find((d) => d.uuid.startsWith(entry)) : undefined;
    if (!device || visible.includes(device)) break;
    visible.push(device);
  }
  return visible;
}

export function describeDevice(device: GpuDevice): string {
  return `${device.name} (compute capability ${device.computeCapability}, ${device.memoryMiB.toLocaleString('en-US')} MiB)`;
}

/** The first CUDA library of the GPU build that did not load, as a sentence; null if all loaded. */
export function libraryProblem(facts: GpuFacts): string | null {
  const failed = facts.libraryErrors[0];
  return failed
    ? `the CUDA library ${failed.library} did not load (${failed.error}). Run \`npm run setup -- --gpu\` or "ResNet Lab: Install GPU Support" again.`
    : null;
}

const NEEDS = `CUDA 12 needs the NVIDIA driver ${GPU_BUILD.minimumDriver} or newer`;

/** The first thing that stops the GPU build from using a GPU, in the order a user fixes them. */
export function diagnoseGpu(facts: GpuFacts): GpuDiagnosis {
  const smi = facts.nvidiaSmi === null ? { devices: [], driverVersion: null } : parseNvidiaSmi(facts.nvidiaSmi);
  const driverVersion = smi.driverVersion ?? (facts.driverVersionFile === null ? null : parseDriverVersionFile(facts.driverVersionFile));
  if (facts.libcudaError !== null) {
    const where = driverVersion ? `the NVIDIA kernel module ${driverVersion} is loaded but ` : '';
    return {
      ok: false, kind: 'no-driver',
      message: `no NVIDIA driver: ${where}libcuda.so.1 could not be loaded (${facts.libcudaError}). ${NEEDS}; \`nvidia-smi\` must list your GPU.`,
    };
  }
  if (driverVersion !== null && compareVersions(driverVersion, GPU_BUILD.minimumDriver) < 0) {
    return { ok: false, kind: 'driver-too-old', message: `the NVIDIA driver is too old: ${driverVersion}, and ${NEEDS}. Update the driver.` };
  }
  const broken = libraryProblem(facts);
  if (broken) return { ok: false, kind: 'library-not-loaded', message: broken };
  const visible = visibleDevices(smi.devices, facts.cudaVisibleDevices);
  if (visible.length === 0) {
    const why = facts.nvidiaSmi === null
      ? '`nvidia-smi` could not run to list the GPUs'
      : smi.devices.length === 0
        ? '`nvidia-smi` lists no GPU'
        : `CUDA_VISIBLE_DEVICES="${facts.cudaVisibleDevices}" hides all ${smi.devices.length} of them`;
    return { ok: false, kind: 'no-visible-device', message: `no visible GPU device: the NVIDIA driver${driverVersion ? ` ${driverVersion}` : ''} is installed but ${why}.` };
  }
  return { ok: true, device: visible[0]!, driverVersion: driverVersion ?? 'unknown' };
}
