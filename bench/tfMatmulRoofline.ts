// This machine's fp32 matmul rate through libtensorflow's own kernel (the one our trainer runs
// on): best of 7 products of two 2048×2048 matrices. Prints one JSON line.
import * as tf from '@tensorflow/tfjs-core';
import { loadBackend } from '../trainer/backend/loadBackend';

const N = 2048;
const TRIES = 7;

async function main(): Promise<void> {
  await loadBackend('tensorflow');
  const a = tf.randomNormal([N, N], 0, 1, 'float32', 1) as tf.Tensor2D;
  const b = tf.randomNormal([N, N], 0, 1, 'float32', 2) as tf.Tensor2D;
  tf.matMul(a, b).dispose();
  let best = Infinity;
  for (let i = 0; i < TRIES; i++) {
    const t = performance.now();
    // Native eager execution is synchronous: the product is complete when matMul returns.
    tf.matMul(a, b).dispose();
    best = Math.min(best, performance.now() - t);
  }
  process.stdout.write(`${JSON.stringify({ gflops: (2 * N ** 3) / (best / 1000) / 1e9, method: 'libtensorflow MatMul (tfjs-node)', tries: TRIES })}\n`);
}

void main();
