// The one-sentence GPU diagnosis, case by case, on inputs recorded from real machines:
// /proc/driver/nvidia/version, nvidia-smi's CSV and the loader's dlerror text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareVersions, diagnoseGpu, parseDriverVersionFile, parseNvidiaSmi, visibleDevices, type GpuFacts } from '../../trainer/backend/gpuDiagnosis';

const H100_SMI = '0, GPU-5d8c3a1e-8b1f-2c4e-9a7d-1f2e3d4c5b6a, NVIDIA H100 80GB HBM3, 9.0, 81559, 550.54.15\n';
const TWO_GPUS_SMI = '0, GPU-aaaa1111-0000-0000-0000-000000000000, Tesla T4, 7.5, 15360, 535.104.05\n' +
  '1, GPU-bbbb2222-0000-0000-0000-000000000000, NVIDIA A100-SXM4-40GB, 8.0, 40960, 535.104.05\n';
const OLD_DRIVER_SMI = '0, GPU-cccc3333-0000-0000-0000-000000000000, Tesla V100-SXM2-16GB, 7.0, 16384, 470.182.03\n';
const PROC_PROPRIETARY = 'NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug 19 01:15:15 UTC 2023\nGCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n';
const PROC_OPEN = 'NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  550.54.15  Release Build  (dvs-builder@U16-I3-B03-4-3)  Tue Mar  5 22:15:33 UTC 2024\n';
/** What this machine (no NVIDIA driver) really reports. */
const NO_LIBCUDA = 'libcuda.so.1: cannot open shared object file: No such file or directory';

function facts(overrides: Partial<GpuFacts>): GpuFacts {
  return { driverVersionFile: PROC_OPEN, libcudaError: null, libraryErrors: [], nvidiaSmi: H100_SMI, cudaVisibleDevices: undefined, ...overrides };
}

test('a working H100 is reported with name, compute capability, memory and driver', () => {
  const d = diagnoseGpu(facts({}));
  assert.ok(d.ok);
  assert.deepEqual(d.device, { index: 0, uuid: 'GPU-5d8c3a1e-8b1f-2c4e-9a7d-1f2e3d4c5b6a', name: 'NVIDIA H100 80GB HBM3', computeCapability: '9.0', memoryMiB: 81559 });
  assert.equal(d.driverVersion, '550.54.15');
});

test('no NVIDIA driver: libcuda.so.1 missing and no kernel module (this machine)', () => {
  const d = diagnoseGpu(facts({ driverVersionFile: null, libcudaError: NO_LIBCUDA, nvidiaSmi: null }));
  assert.ok(!d.ok);
  assert.equal(d.kind, 'no-driver');
  assert.equal(d.message, `no NVIDIA driver: libcuda.so.1 could not be loaded (${NO_LIBCUDA}). CUDA 12 needs the NVIDIA driver 525.60.13 or newer; \`nvidia-smi\` must list your GPU.`);
});

test('no NVIDIA driver: the kernel module is loaded but its user-space libcuda is not installed', () => {
  const d = diagnoseGpu(facts({ driverVersionFile: PROC_PROPRIETARY, libcudaError: NO_LIBCUDA, nvidiaSmi: null }));
  assert.ok(!d.ok);
  assert.equal(d.kind, 'no-driver');
  assert.match(d.message, /^no NVIDIA driver: the NVIDIA kernel module 535\.104\.05 is loaded but libcuda\.so\.1 could not be loaded/);
});

test('a driver older than 525.60.13 is named with the version CUDA 12 needs', () => {
  for (const input of [facts({ nvidiaSmi: OLD_DRIVER_SMI }), facts({ nvidiaSmi: null, driverVersionFile: 'NVRM version: NVIDIA UNIX x86_64 Kernel Module  525.60.11  Wed Nov 23 2022\n' })]) {
    const d = diagnoseGpu(input);
    assert.ok(!d.ok);
    assert.equal(d.kind, 'driver-too-old');
    assert.match(d.message, /^the NVIDIA driver is too old: (470\.182\.03|525\.60\.11), and CUDA 12 needs the NVIDIA driver 525\.60\.13 or newer\. Update the driver\.$/);
  }
  assert.ok(diagnoseGpu(facts({ nvidiaSmi: H100_SMI.replace('550.54.15', '525.60.13') })).ok, 'exactly 525.60.13 is enough');
});

test('a CUDA library that did not load is named, with the loader\'s reason', () => {
  const d = diagnoseGpu(facts({ libraryErrors: [{ library: 'libcudnn.so.9', error: 'libcudnn.so.9: cannot open shared object file: No such file or directory' }] }));
  assert.ok(!d.ok);
  assert.equal(d.kind, 'library-not-loaded');
  assert.match(d.message, /^the CUDA library libcudnn\.so\.9 did not load \(libcudnn\.so\.9: cannot open shared object file: No such file or directory\)\. Run `npm run setup -- --gpu`/);
});

test('no visible device: CUDA_VISIBLE_DEVICES hides them all, or nvidia-smi lists none', () => {
  for (const hidden of ['', '-1', 'NoDevFiles', '7']) {
    const d = diagnoseGpu(facts({ nvidiaSmi: TWO_GPUS_SMI, cudaVisibleDevices: hidden }));
    assert.ok(!d.ok);
    assert.equal(d.kind, 'no-visible-device');
    assert.equal(d.message, `no visible GPU device: the NVIDIA driver 535.104.05 is installed but CUDA_VISIBLE_DEVICES="${hidden}" hides all 2 of them.`);
  }
  const none = diagnoseGpu(facts({ nvidiaSmi: 'No devices were found\n' }));
  assert.ok(!none.ok);
  assert.equal(none.kind, 'no-visible-device');
  assert.equal(none.message, 'no visible GPU device: the NVIDIA driver 550.54.15 is installed but `nvidia-smi` lists no GPU.');
});

test('the device reported is the first one CUDA numbers under CUDA_VISIBLE_DEVICES', () => {
  const [t4, a100] = parseNvidiaSmi(TWO_GPUS_SMI).devices;
  assert.deepEqual(visibleDevices([t4!, a100!], undefined), [t4, a100]);
  assert.deepEqual(visibleDevices([t4!, a100!], '1,0'), [a100, t4]);
  assert.deepEqual(visibleDevices([t4!, a100!], 'GPU-bbbb'), [a100]);
  // CUDA stops at the first entry that names no device.
  assert.deepEqual(visibleDevices([t4!, a100!], '0,5,1'), [t4]);
  const d = diagnoseGpu(facts({ nvidiaSmi: TWO_GPUS_SMI, cudaVisibleDevices: '1' }));
  assert.ok(d.ok);
  assert.equal(d.device.name, 'NVIDIA A100-SXM4-40GB');
});

test('the order a user fixes things in: driver before libraries before devices', () => {
  const everythingWrong = facts({
    driverVersionFile: null, libcudaError: NO_LIBCUDA, nvidiaSmi: null, cudaVisibleDevices: '',
    libraryErrors: [{ library: 'libcublas.so.12', error: 'x' }],
  });
  assert.equal((diagnoseGpu(everythingWrong) as { kind: string }).kind, 'no-driver');
  assert.equal((diagnoseGpu({ ...everythingWrong, libcudaError: null, driverVersionFile: PROC_OPEN }) as { kind: string }).kind, 'library-not-loaded');
});

test('driver versions parse from both kernel module banners and compare part by part', () => {
  assert.equal(parseDriverVersionFile(PROC_PROPRIETARY), '535.104.05');
  assert.equal(parseDriverVersionFile(PROC_OPEN), '550.54.15');
  assert.equal(parseDriverVersionFile('garbage'), null);
  assert.equal(compareVersions('525.60.13', '525.60.13'), 0);
  assert.equal(compareVersions('525.105.17', '525.60.13'), 1);
  assert.equal(compareVersions('525.60', '525.60.13'), -1);
  assert.equal(compareVersions('1000.1', '525.60.13'), 1);
});
