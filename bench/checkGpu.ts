// `npm run check:gpu`: verifies the tensorflow-gpu backend on a machine with an NVIDIA GPU.
// Prints the device the GPU build uses, trains 200 default-preset steps on it, then the same
// 200 steps on the CPU backend, and prints both rates. Where the GPU backend cannot run it
// prints the trainer's one-line reason and exits 1.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TEST_ONLY_ALLOW_CPU_ENV } from '../shared/gpuTensorflowBuild';

const STEPS = 200;
const cli = path.join(__dirname, '..', '..', 'dist', 'cli.js');

interface CliRun { backend: string; imagesPerSec: number; steps: number }

/** One CLI run with --json; resolves with its started/summary facts, or rejects with its one-line error. */
function train(backend: string, checkpointDir: string, onStarted: (description: string) => void): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, TF_CPP_MIN_LOG_LEVEL: process.env.TF_CPP_MIN_LOG_LEVEL ?? '2' };
  // The check is about the GPU: the test-only CPU switch must not turn it into a CPU run.
  delete env[TEST_ONLY_ALLOW_CPU_ENV];
  const child = spawn(process.execPath, [cli, '--backend', backend, '--preset', 'default', '--steps', String(STEPS), '--eval-every', '0',
    '--checkpoint-every', '0', '--checkpoint-dir', checkpointDir, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let started = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const line of stdout.split('\n').slice(0, -1)) {
      const event = JSON.parse(line) as { event: string; backend?: string };
      if (event.event === 'started' && !started) {
        started = event.backend ?? '?';
        onStarted(started);
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      const summary = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: string; imagesPerSec?: number; steps?: number }).find((e) => e.event === 'summary');
      if (code !== 0 || !summary) {
        const reason = stderr.split('\n').reverse().find((l) => l.startsWith('error: '))?.slice('error: '.length);
        reject(new Error(reason ?? `the ${backend} run exited with code ${code}`));
        return;
      }
      resolve({ backend: started, imagesPerSec: summary.imagesPerSec ?? 0, steps: summary.steps ?? 0 });
    });
  });
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'resnet-lab-check-gpu-'));
  try {
    const gpu = await train('tensorflow-gpu', path.join(root, 'gpu'), (d) => console.log(`device: ${d}`));
    console.log(`tensorflow-gpu: ${gpu.steps} steps × batch 64, ${gpu.imagesPerSec.toFixed(0)} images/s`);
    const cpu = await train('tensorflow', path.join(root, 'cpu'), (d) => console.log(`cpu backend: ${d}`));
    console.log(`tensorflow (CPU): ${cpu.steps} steps × batch 64, ${cpu.imagesPerSec.toFixed(0)} images/s`);
    console.log(`GPU / CPU: ${(gpu.imagesPerSec / cpu.imagesPerSec).toFixed(1)}×`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`check:gpu: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
