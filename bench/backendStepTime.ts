// ms per training step of a small conv net on the native backend against the pure-JS backend,
// measured side by side in one run: `npm run bench:backends`. Each backend runs in its own
// child process (so neither warms up the other), alternating rounds, median of each.
import * as tf from '@tensorflow/tfjs-core';
import { fork } from 'node:child_process';
import type { BackendName } from '../shared/trainingConfig';
import { loadBackend } from '../trainer/backend/loadBackend';

const BATCH = 32;
const STEPS_PER_ROUND = { tensorflow: 40, cpu: 4 } as const;
const ROUNDS = 3;

/** conv 3×3×16 → ReLU → max-pool 2 → dense 10, Adam: a small net both backends can train. */
async function timeSteps(backend: BackendName, steps: number): Promise<number[]> {
  await loadBackend(backend);
  const kernel = tf.variable(tf.randomNormal([3, 3, 1, 16], 0, 0.1, 'float32', 1));
  const bias = tf.variable(tf.zeros([16]));
  const dense = tf.variable(tf.randomNormal([14 * 14 * 16, 10], 0, 0.01, 'float32', 2));
  const images = tf.randomUniform([BATCH, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
  const labels = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 4) as tf.Tensor1D, 10);
  const optimizer = tf.train.adam(1e-3);
  const loss = () => tf.losses.softmaxCrossEntropy(labels, tf.matMul(tf.reshape(
    tf.maxPool(tf.relu(tf.add(tf.conv2d(images, kernel as tf.Tensor4D, 1, 'same'), bias)) as tf.Tensor4D, 2, 2, 'same'), [BATCH, -1]), dense)) as tf.Scalar;
  const times: number[] = [];
  for (let i = 0; i < steps + 2; i++) {
    const t = performance.now();
    tf.dispose(optimizer.minimize(loss, true) ?? []);
    // Reading one value back makes the step's cost complete on either backend.
    kernel.dataSync();
    if (i >= 2) times.push(performance.now() - t);
  }
  return times;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function runChild(backend: BackendName): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--child', backend], { env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
    child.once('message', (times) => resolve(times as number[]));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`${backend} child exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    const backend = process.argv[3] as 'tensorflow' | 'cpu';
    process.send!(await timeSteps(backend, STEPS_PER_ROUND[backend]));
    return;
  }
  const all: Record<'tensorflow' | 'cpu', number[]> = { tensorflow: [], cpu: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const backend of ['tensorflow', 'cpu'] as const) all[backend].push(...await runChild(backend));
  }
  const native = median(all.tensorflow);
  const js = median(all.cpu);
  console.log(`small conv net (conv 3×3×16 → ReLU → pool → dense 10, Adam), batch ${BATCH}, median ms per training step:`);
  console.log(`  tensorflow (tfjs-node, native): ${native.toFixed(2)} ms  (${all.tensorflow.length} steps)`);
  console.log(`  cpu (pure JavaScript):          ${js.toFixed(2)} ms  (${all.cpu.length} steps)`);
  console.log(`  native is ${(js / native).toFixed(1)}× faster`);
}

void main();
