// A run trains exactly the network it is given: the spec and its hash are in every checkpoint
// header, a run from a changed network resumes from its own checkpoint, and resuming it with a
// different network is refused naming the first difference. Real backend, real (sliced) MNIST.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { seedResNetArchitecture } from '../../shared/architecture';
import { LATEST_CHECKPOINT_FILE } from '../../shared/checkpointFiles';
import { firstArchitectureDifference } from '../../shared/architectureDifference';
import { computeModelFigures } from '../../shared/modelFigures';
import { resolveConfig } from '../../shared/trainingConfig';
import { loadBackend } from '../../trainer/backend/loadBackend';
import { architectureHash } from '../../trainer/checkpoint/architectureHash';
import { CheckpointStore } from '../../trainer/checkpoint/checkpointStore';
import type { MnistDataset } from '../../trainer/mnist';
import { PausableRunControl } from '../../trainer/runControl';
import { ArchitectureError } from '../../shared/architectureError';
import { ResumeError } from '../../trainer/checkpoint/resumeError';
import type { RunControl } from '../../trainer/train/runEvents';
import { TrainingRun } from '../../trainer/train/trainingRun';
import { tempDir } from '../support/paths';
import { quiet } from '../support/quietSink';
import { smallArchitecture } from '../support/smallArchitecture';
import { smallMnist } from '../support/smallMnist';

let dataset: MnistDataset;
before(async () => {
  await loadBackend('tensorflow');
  dataset = await smallMnist();
});

const config = (steps: number) => resolveConfig('default', { steps, batchSize: 4, evalEvery: 0, checkpointEvery: 0, logEvery: 1 });

function stopAfter(run: () => TrainingRun, steps: number): RunControl {
  return { waitWhilePaused: async () => {}, get stopRequested() { return run().currentStep >= steps; } };
}

test('a run of a changed network trains that network, writes it and its hash in the checkpoint, and resumes from it', async () => {
  const spec = smallArchitecture({ 'res2b/conv1': 6 });
  const dir = tempDir('file-network');
  const first = new TrainingRun({ config: config(6), architecture: spec, dataset, backend: 'tensorflow', resume: false, checkpointDir: dir });
  assert.deepEqual(first.architecture, { spec, figures: computeModelFigures(spec) });
  await first.run(stopAfter(() => first, 3), quiet);
  first.dispose();

  const header = new CheckpointStore(dir).load()!.header;
  assert.equal(header.step, 3);
  assert.deepEqual(header.architecture, spec);
  assert.equal(header.architectureHash, architectureHash(spec));
  assert.match(header.architectureHash!, /^sha256:[0-9a-f]{64}$/);
  assert.notEqual(header.architectureHash, architectureHash(smallArchitecture()));

  // Resumed with the same network (from the file again) or with none (the checkpoint's own).
  for (const architecture of [spec, undefined]) {
    const resumed = new TrainingRun({ config: config(6), ...(architecture ? { architecture } : {}), dataset, backend: 'tensorflow', resume: true, checkpointDir: tempCopy(dir) });
    assert.equal(resumed.startStep, 3);
    assert.deepEqual(resumed.architecture.spec, spec);
    const summary = await resumed.run(new PausableRunControl(), quiet);
    assert.equal(summary.stepsDone, 6);
    resumed.dispose();
  }
});

test('resuming with a different network is refused before anything is built, naming the first difference', async () => {
  const spec = smallArchitecture();
  const dir = tempDir('refuse-other-network');
  const first = new TrainingRun({ config: config(2), architecture: spec, dataset, backend: 'tensorflow', resume: false, checkpointDir: dir });
  await first.run(new PausableRunControl(), quiet);
  first.dispose();
  const wider = smallArchitecture({ 'res2b/conv1': 8 });
  assert.throws(() => new TrainingRun({ config: config(4), architecture: wider, dataset, backend: 'tensorflow', resume: true, checkpointDir: dir }), (error: unknown) => {
    assert.ok(error instanceof ResumeError);
    assert.equal(error.message, `Cannot resume ${path.join(dir, LATEST_CHECKPOINT_FILE)} with this network: its weights belong to another one (blocks[4] (res2b).layers[0] (res2b/conv1).filters is 4 in the checkpoint's network and 8 in this one). Resume without an architecture file to continue its own network, or start a new run.`);
    return true;
  });
  assert.throws(() => new TrainingRun({ config: config(4), architecture: seedResNetArchitecture(), dataset, backend: 'tensorflow', resume: true, checkpointDir: dir }),
    /its weights belong to another one \(name is "Small test ResNet" in the checkpoint's network and "Shallow bottleneck ResNet \(seed\)" in this one\)/);
});

test('an invalid network is refused as a network problem, before TensorFlow builds anything', () => {
  const spec = smallArchitecture({ 'res2b/conv3': 12 });
  assert.throws(() => new TrainingRun({ config: config(2), architecture: spec, dataset, backend: 'tensorflow', resume: false }), (error: unknown) => {
    assert.ok(error instanceof ArchitectureError);
    assert.equal(error.message, 'Small test ResNet: this network cannot be trained: at blocks[4].layers[3].op: res2b: the main path gives 14×14×12 but the identity shortcut passes 14×14×16 unchanged, so they cannot be added: set res2b/conv3\'s filters to 16, or give the block a projection shortcut');
    return true;
  });
});

test('the first difference between two networks names the path with ids, the count when lists differ, and null when equal', () => {
  const seed = seedResNetArchitecture();
  assert.equal(firstArchitectureDifference(seed, seedResNetArchitecture()), null);
  assert.equal(firstArchitectureDifference(seed, seedResNetArchitecture(0.7)), 'blocks[9] (dropout).title is "dropout · keep 0.5" in the checkpoint\'s network and "dropout · keep 0.7" in this one');
  assert.equal(firstArchitectureDifference(seed, { ...seed, blocks: seed.blocks.slice(0, 10) }), 'blocks has 11 items in the checkpoint\'s network and 10 in this one');
  const noShortcut = { ...seed, blocks: seed.blocks.map((b) => (b.id === 'res2b' ? { ...b, shortcut: undefined } : b)) };
  assert.equal(firstArchitectureDifference(seed, noShortcut), 'blocks[4] (res2b).shortcut is {"kind":"identity"} in the checkpoint\'s network and absent in this one');
});

/** A copy of a run's checkpoint folder, so each resume starts from the same checkpoint. */
function tempCopy(dir: string): string {
  const copy = tempDir('copy');
  fs.cpSync(dir, copy, { recursive: true });
  return copy;
}
