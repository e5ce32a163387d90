// `npm run bench:gradients [-- --steps N]` (N timed steps per source, default 40): the graph engine with TensorFlow's gradients (the
// tf_gradients addon) against the hand-written tape, side by side in one process on the default
// run's network and settings (the seed ResNet, He init, batch 32, real MNIST in the default run's
// order of first batches).
//   1. The numbers: both engines start from the same weights and take the same first steps; the
//      largest difference of the losses, and of every parameter afterwards.
//   2. The time: ms per step (the loss read back each step), in ABBA blocks of 10 so that drift
//      in the machine's load hits both alike; medians. Results: bench/results/gradient-sources.md.
import * as tf from '@tensorflow/tfjs-core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { seedResNetArchitecture } from '../shared/architecture';
import { errorMessage } from '../shared/errorMessage';
import { PRESETS } from '../shared/trainingConfig';
import { loadBackend } from '../trainer/backend/loadBackend';
import { imageBatch, oneHotBatch, exampleRange } from '../trainer/data/batchTensors';
import { GraphStepEngine } from '../trainer/graph/graphStepEngine';
import type { GradientSource } from '../trainer/graph/lossGradients';
import { loadMnist } from '../trainer/mnist/loadMnist';
import { adamSettingsFor } from '../trainer/train/adamSettings';

const ROOT = path.resolve(__dirname, '..', '..');
const BLOCK = 10;
const COMPARED_STEPS = 10;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const stepsFlag = process.argv.indexOf('--steps');
  const steps = stepsFlag >= 0 ? Number(process.argv[stepsFlag + 1]) : 40;
  if (!Number.isInteger(steps) || steps < 2 * BLOCK || steps % (2 * BLOCK) !== 0) throw new Error(`--steps must be a positive multiple of ${2 * BLOCK} (got ${process.argv[stepsFlag + 1]})`);
  const backend = await loadBackend('tensorflow');
  const config = PRESETS.default;
  const arch = seedResNetArchitecture(config.keepProb);
  const setup = { arch, init: { scheme: config.init, denseScale: config.denseInitScale }, seed: 1, adam: adamSettingsFor(config, arch) };
  const { train } = await loadMnist();
  const batchAt = (i: number) => {
    const indices = exampleRange((i * config.batchSize) % (train.count - config.batchSize), config.batchSize);
    return { images: imageBatch(train, indices), labels: oneHotBatch(train, indices) };
  };
  const engines: Record<GradientSource, GraphStepEngine> = {
    tensorflow: new GraphStepEngine(setup, 'tensorflow'),
    tape: new GraphStepEngine(setup, 'tape'),
  };
  const stepsDone: Record<GradientSource, number> = { tensorflow: 0, tape: 0 };
  /** One step on the engine's next batch; its loss and wall-clock ms. */
  const step = (source: GradientSource) => {
    const { images, labels } = batchAt(stepsDone[source]);
    const started = performance.now();
    const loss = engines[source].step(images, labels, stepsDone[source]);
    const value = loss.dataSync()[0]!;
    const ms = performance.now() - started;
    tf.dispose([loss, images, labels]);
    stepsDone[source] += 1;
    return { value, ms };
  };

  // 1. Same weights, same batches: how far apart are the numbers?
  const largestDifference = () => {
    const [a, b] = [engines.tensorflow.model.parameters.readAll(), engines.tape.model.parameters.readAll()];
    const largest = Math.max(...a.map((p, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(p, b[i]!))).dataSync()[0]!)));
    tf.dispose([...a, ...b]);
    return largest;
  };
  const initialDifference = largestDifference();
  let lossDifference = 0;
  const losses: [number, number][] = [];
  for (let i = 0; i < COMPARED_STEPS; i++) {
    const [a, b] = [step('tensorflow').value, step('tape').value];
    losses.push([a, b]);
    lossDifference = Math.max(lossDifference, Math.abs(a - b));
  }
  const parameterDifference = largestDifference();

  // 2. Time, ABBA: A B B A A B B A … in blocks of BLOCK steps.
  const times: Record<GradientSource, number[]> = { tensorflow: [], tape: [] };
  const order: GradientSource[] = [];
  const abba: GradientSource[] = ['tensorflow', 'tape', 'tape', 'tensorflow'];
  for (let i = 0; i < (2 * steps) / BLOCK; i++) order.push(abba[i % 4]!);
  for (const source of order) for (let i = 0; i < BLOCK; i++) times[source].push(step(source).ms);

  const lines = [
    `# Gradient sources: TensorFlow's gradient registry against the hand-written tape`,
    '',
    `\`npm run bench:gradients -- --steps ${steps}\` on ${new Date().toISOString().slice(0, 10)}, ${backend.description}; the seed ResNet, default preset (He init, batch ${config.batchSize}, Adam with warm-up), real MNIST.`,
    '',
    `Block order (${BLOCK} steps each): ${order.map((s) => (s === 'tensorflow' ? 'A' : 'B')).join(' ')} (A = tensorflow, B = tape).`,
    '',
    '| gradients | steps timed | median ms/step | min | max |',
    '|---|---:|---:|---:|---:|',
    ...(['tensorflow', 'tape'] as const).map((s) => `| ${s} | ${times[s].length} | ${median(times[s]).toFixed(1)} | ${Math.min(...times[s]).toFixed(1)} | ${Math.max(...times[s]).toFixed(1)} |`),
    '',
    `Same initial weights (max difference ${initialDifference}) and the same ${COMPARED_STEPS} batches: losses differ by at most ${lossDifference.toExponential(2)}; after ${COMPARED_STEPS} steps the parameters differ by at most ${parameterDifference.toExponential(2)}.`,
    '',
    '| step | loss, tensorflow | loss, tape |',
    '|---:|---:|---:|',
    ...losses.map(([a, b], i) => `| ${i + 1} | ${a.toFixed(7)} | ${b.toFixed(7)} |`),
    '',
  ];
  const out = path.join(ROOT, 'bench', 'results', 'gradient-sources.md');
  fs.writeFileSync(out, lines.join('\n'));
  console.log(lines.join('\n'));
  console.log(`written to ${path.relative(ROOT, out)}`);
  engines.tensorflow.dispose();
  engines.tape.dispose();
}

main().catch((error: unknown) => {
  console.error(`bench:gradients: ${errorMessage(error)}`);
  process.exit(1);
});
