// The training loop on the real native backend and real (sliced) MNIST: steady memory, seeded
// runs that repeat exactly, and stop + resume that continues exactly where it stopped.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { resolveConfig, type ConfigOverrides } from '../../shared/trainingConfig';
import type { ProgressReport } from '../../shared/trainingReports';
import { loadBackend } from '../../trainer/backend/loadBackend';
import { CheckpointStore } from '../../trainer/checkpoint/checkpointStore';
import type { MnistDataset } from '../../trainer/mnist';
import { PausableRunControl } from '../../trainer/runControl';
import type { RunControl } from '../../trainer/train/runEvents';
import { TrainingRun } from '../../trainer/train/trainingRun';
import { tempDir } from '../support/paths';
import { quiet } from '../support/quietSink';
import { smallMnist } from '../support/smallMnist';

let dataset: MnistDataset;
before(async () => {
  await loadBackend('tensorflow');
  dataset = await smallMnist();
});

function config(overrides: ConfigOverrides) {
  return resolveConfig('default', { evalEvery: 0, checkpointEvery: 0, logEvery: 1, ...overrides });
}

/** Stops the run once it has completed `steps` steps. */
function stopAfter(run: () => TrainingRun, steps: number): RunControl {
  return { waitWhilePaused: async () => {}, get stopRequested() { return run().currentStep >= steps; } };
}

test('memory holds steady: the same number of tensors after step 10 and after step 200', async () => {
  const counts = new Map<number, number>();
  const run = new TrainingRun({ config: config({ steps: 200, batchSize: 2, logEvery: 10 }), dataset, backend: 'tensorflow', resume: false });
  await run.run(new PausableRunControl(), { ...quiet, progress: (p) => counts.set(p.step, tf.memory().numTensors) });
  assert.ok(counts.has(10) && counts.has(200));
  assert.equal(counts.get(200), counts.get(10));
  run.dispose();
});

test('progress comes after the first step, every logEvery steps and at the end; a resumed run reports its own first step', async () => {
  const c = config({ steps: 7, batchSize: 2, logEvery: 3 });
  const dir = tempDir('first-progress');
  const steps: number[] = [];
  const before = Date.now();
  const first = new TrainingRun({ config: c, dataset, backend: 'tensorflow', resume: false, checkpointDir: dir });
  const firstSummary = await first.run(stopAfter(() => first, 4), { ...quiet, progress: (p) => steps.push(p.step) });
  first.dispose();
  assert.deepEqual(steps, [1, 3]);
  assert.ok(firstSummary.firstStepEndedAt! >= before && firstSummary.firstStepEndedAt! <= Date.now(), 'when the first step ended, in epoch ms');

  steps.length = 0;
  const resumed = new TrainingRun({ config: c, dataset, backend: 'tensorflow', resume: true, checkpointDir: dir });
  await resumed.run(new PausableRunControl(), { ...quiet, progress: (p) => steps.push(p.step) });
  resumed.dispose();
  assert.deepEqual(steps, [5, 6, 7]);
});

test('two runs with the same seed and config give the same losses; another seed does not', async () => {
  const losses = async (seed: number) => {
    const seen: ProgressReport[] = [];
    const run = new TrainingRun({ config: config({ steps: 5, batchSize: 8, seed }), dataset, backend: 'tensorflow', resume: false });
    await run.run(new PausableRunControl(), { ...quiet, progress: (p) => seen.push(p) });
    run.dispose();
    return seen.map((p) => p.loss);
  };
  const [a, b, c] = [await losses(3), await losses(3), await losses(4)];
  assert.equal(a.length, 5);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

// Levers off (one constant rate), and warm-up + cosine + a dense rate + another ε: the rate of each
// update comes from its step alone, so a resumed run follows the same curve.
const LEVERS = { off: {}, on: { lrSchedule: 'cosine', warmupSteps: 2, lrFloor: 0.1, denseLrScale: 0.1, adamEpsilon: 1e-6 } } as const;

for (const [levers, leverOverrides] of Object.entries(LEVERS)) test(`N steps straight equal k steps + stop + resume + (N−k) steps, bit for bit (learning-rate levers ${levers})`, async () => {
  const N = 8;
  const k = 3;
  const c = config({ steps: N, batchSize: 8, seed: 11, ...leverOverrides });
  const straightDir = tempDir('straight');
  const straight = new TrainingRun({ config: c, dataset, backend: 'tensorflow', resume: false, checkpointDir: straightDir });
  const straightLosses: number[] = [];
  await straight.run(new PausableRunControl(), { ...quiet, progress: (p) => straightLosses.push(p.loss) });
  straight.dispose();

  const splitDir = tempDir('split');
  const first = new TrainingRun({ config: c, dataset, backend: 'tensorflow', resume: false, checkpointDir: splitDir });
  const firstSummary = await first.run(stopAfter(() => first, k), quiet);
  first.dispose();
  assert.equal(firstSummary.outcome, 'stopped');
  assert.equal(firstSummary.stepsDone, k);

  const resumed = new TrainingRun({ config: c, dataset, backend: 'tensorflow', resume: true, checkpointDir: splitDir });
  assert.equal(resumed.startStep, k);
  assert.equal(resumed.history.progress.length, k, 'the curve so far comes back with the checkpoint');
  const resumedLosses: number[] = [];
  const summary = await resumed.run(new PausableRunControl(), { ...quiet, progress: (p) => resumedLosses.push(p.loss) });
  resumed.dispose();
  assert.equal(summary.outcome, 'finished');
  assert.deepEqual(resumedLosses, straightLosses.slice(k));

  const a = new CheckpointStore(straightDir).load()!;
  const b = new CheckpointStore(splitDir).load()!;
  assert.equal(a.header.step, N);
  assert.equal(b.header.step, N);
  assert.equal(b.header.adamIteration, N);
  assert.deepEqual(b.header.dataOrder, a.header.dataOrder);
  assert.equal(b.tensors.size, a.tensors.size);
  for (const [name, tensor] of a.tensors) {
    assert.deepEqual(b.tensors.get(name)!.data, tensor.data, `${name} differs after resume`);
  }
});

test('pause holds the loop before the next step and stop ends a paused run', async () => {
  const control = new PausableRunControl();
  // Resolves when the loop asks to go on while paused: it is then held at the gate, with no
  // guessing how long a step (or the starting-weights probe after step 1) takes.
  let reachedGate!: () => void;
  const heldAtGate = new Promise<void>((resolve) => { reachedGate = resolve; });
  const watched: RunControl = {
    waitWhilePaused: () => {
      if (control.paused) reachedGate();
      return control.waitWhilePaused();
    },
    get stopRequested() { return control.stopRequested; },
  };
  const steps: number[] = [];
  const run = new TrainingRun({ config: config({ steps: 50, batchSize: 2 }), dataset, backend: 'tensorflow', resume: false });
  const done = run.run(watched, {
    ...quiet,
    progress: (p) => {
      steps.push(p.step);
      if (p.step === 2) control.pause();
    },
  });
  await heldAtGate;
  assert.equal(run.currentStep, 2, 'paused within one step');
  control.stop();
  const summary = await done;
  assert.equal(summary.outcome, 'stopped');
  assert.equal(summary.stepsDone, 2);
  assert.deepEqual(steps, [1, 2]);
  run.dispose();
});

test('resuming with no checkpoint, or from another architecture, fails with a clear message', async () => {
  const empty = tempDir('empty');
  assert.throws(() => new TrainingRun({ config: config({ steps: 2 }), dataset, backend: 'tensorflow', resume: true, checkpointDir: empty }),
    /Cannot resume: there is no checkpoint in/);
});

test('the seed preset collapses at initialisation exactly as SEED-MODEL.md measured: saturated logits, half of fc1 dead', () => {
  const run = new TrainingRun({ config: resolveConfig('seed'), dataset, backend: 'tensorflow', resume: false });
  const report = run.activations();
  run.dispose();
  const fc1 = report.layers.find((l) => l.layerName === 'fc1/dense')!;
  assert.ok(report.logits.maxAbs > 30, `max |logit| ${report.logits.maxAbs}`);
  assert.ok(report.logits.std > 15, `logit std ${report.logits.std}`);
  assert.ok(report.logits.saturatedFraction > 0.9, `saturated ${report.logits.saturatedFraction}`);
  assert.ok(report.logits.confidentlyWrongFraction > 0.7, `confidently wrong ${report.logits.confidentlyWrongFraction}`);
  assert.ok(fc1.deadFraction > 0.3 && fc1.deadFraction < 0.7, `fc1 dead ${fc1.deadFraction}`);
  assert.ok(fc1.std > 4, `fc1 std ${fc1.std}`);
});

test('the run reports its phases between steps, with evaluation progress, and its ETA counts what is left after the last step', async () => {
  const phases: string[] = [];
  const etaAt = new Map<number, number>();
  const run = new TrainingRun({
    config: config({ steps: 4, batchSize: 4, evalEvery: 2, checkpointEvery: 2 }), dataset, backend: 'tensorflow', resume: false, checkpointDir: tempDir('phases'),
  });
  await run.run(new PausableRunControl(), {
    ...quiet,
    progress: (p) => etaAt.set(p.step, p.etaSec),
    phase: (phase) => phases.push(phase.kind === 'validating' || phase.kind === 'testing' ? `${phase.kind} ${phase.done}/${phase.total}` : phase.kind),
  });
  run.dispose();
  assert.deepEqual(phases, [
    'validating 0/300', 'validating 300/300', 'checkpointing', 'training',
    'validating 0/300', 'validating 300/300', 'testing 0/300', 'testing 300/300', 'checkpointing',
  ]);
  // At the last step no training is left, but the final validation, the test and the checkpoint are.
  assert.ok(etaAt.get(4)! > 0, `ETA at the last step is ${etaAt.get(4)} s`);
});
