// Export Model / `npm run export` with real clients: a short real training run on real MNIST
// writes a checkpoint, the export CLI turns it into a SavedModel, and Python TensorFlow
// (tf.saved_model.load, in the benchmark's venv) and tfjs-node (tf.node.loadSavedModel) predict
// the first 1,000 MNIST test images with it. Both must agree with the trainer's own forward pass
// on the same checkpoint: the same argmax, probabilities within 1e-5. The run is a run store's
// run, so its folder can be named instead of its checkpoint folder. Then every bad input.
import * as tf from '@tensorflow/tfjs-core';
import * as tfnode from '@tensorflow/tfjs-node';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import { RunStore } from '../../runStore/runStore';
import { seedResNetArchitecture } from '../../shared/architecture';
import { LATEST_CHECKPOINT_FILE } from '../../shared/checkpointFiles';
import { resolveConfig } from '../../shared/trainingConfig';
import { loadBackend } from '../../trainer/backend/loadBackend';
import { CheckpointStore } from '../../trainer/checkpoint/checkpointStore';
import { exampleRange, imageBatch } from '../../trainer/data/batchTensors';
import { loadMnist } from '../../trainer/mnist';
import { PausableRunControl } from '../../trainer/runControl';
import { constantRateAdam } from '../../trainer/train/adamSettings';
import { createStepEngine } from '../../trainer/train/createStepEngine';
import { TrainingRun } from '../../trainer/train/trainingRun';
import { benchPython, exportBundle, projectRoot, tempDir } from '../support/paths';
import { quiet } from '../support/quietSink';
import { smallMnist } from '../support/smallMnist';

const run = promisify(execFile);
const COMPARED_IMAGES = 1000;
const TOLERANCE = 1e-5;
const PREDICT_SCRIPT = path.join(projectRoot, 'test', 'python', 'predict_savedmodel.py');

interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function exportCli(...args: string[]): Promise<CliOutcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [exportBundle, ...args], { encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** The run's folder in a run store (run.json, history, checkpoints/) and its checkpoint folder. */
let runFolder: string;
let checkpointDir: string;
/** The first 1,000 test images, [1000, 28, 28, 1] in [0, 1] as the trainer feeds them. */
let images: Float32Array;
/** The trainer's probabilities for them, row-major [1000, 10]. */
let trainerProbabilities: Float32Array;

before(async () => {
  await loadBackend('tensorflow');
  // A short real run, so the weights are trained ones rather than the initialisation.
  const config = resolveConfig('default', { steps: 30, batchSize: 16, evalEvery: 0, checkpointEvery: 0, logEvery: 10, seed: 5 });
  const writer = new RunStore(tempDir('export-runs')).create(config, seedResNetArchitecture(config.keepProb), 'cli');
  runFolder = writer.dir;
  checkpointDir = writer.checkpointDir;
  const training = new TrainingRun({ config, dataset: await smallMnist(), backend: 'tensorflow', resume: false, checkpointDir });
  writer.began(0, 'tensorflow', null);
  const summary = await training.run(new PausableRunControl(), quiet);
  writer.ended('finished', { summary });
  training.dispose();

  // The trainer's own forward pass on the checkpoint: its step engine (the graph's eval pass),
  // with the checkpoint's weights assigned as a resume assigns them.
  const checkpoint = new CheckpointStore(checkpointDir).load()!;
  assert.equal(checkpoint.header.step, 30);
  const arch = seedResNetArchitecture(checkpoint.header.config.keepProb);
  const { engine } = createStepEngine({ arch, init: 'he', seed: 99, adam: constantRateAdam(1e-3) });
  engine.model.specs.forEach((spec, i) => {
    const stored = checkpoint.tensors.get(spec.name)!;
    tf.tidy(() => engine.model.parameters.assign(i, tf.tensor(stored.data, stored.shape)));
  });
  const mnist = await loadMnist();
  const testImages = imageBatch(mnist.test, exampleRange(0, COMPARED_IMAGES));
  images = testImages.dataSync() as Float32Array;
  const probabilities = tf.tidy(() => tf.softmax(engine.logits(testImages)));
  trainerProbabilities = probabilities.dataSync() as Float32Array;
  tf.dispose([probabilities, testImages]);
  engine.dispose();
});

function argmaxes(probabilities: Float32Array): number[] {
  const result: number[] = [];
  for (let row = 0; row < probabilities.length / 10; row++) {
    const slice = probabilities.subarray(row * 10, row * 10 + 10);
    result.push(slice.indexOf(Math.max(...slice)));
  }
  return result;
}

/** Asserts and returns the largest probability difference from the trainer's. */
function assertMatchesTrainer(probabilities: Float32Array, client: string): number {
  assert.equal(probabilities.length, COMPARED_IMAGES * 10, `${client}: one row of 10 per image`);
  assert.deepEqual(argmaxes(probabilities), argmaxes(trainerProbabilities), `${client}: the same predicted digit for every image`);
  let worst = 0;
  for (let i = 0; i < probabilities.length; i++) worst = Math.max(worst, Math.abs(probabilities[i]! - trainerProbabilities[i]!));
  assert.ok(worst <= TOLERANCE, `${client}: largest probability difference ${worst} exceeds ${TOLERANCE}`);
  // The trained model must say something: a constant output would match trivially.
  assert.ok(new Set(argmaxes(trainerProbabilities)).size >= 5, 'the trained model predicts several different digits');
  return worst;
}

test('the export loads in Python TensorFlow and in tfjs-node, and both predict what the trainer predicts', async (t) => {
  assert.ok(fs.existsSync(benchPython), `${benchPython} is missing: run \`bash bench/python/setup_venv.sh\` first (it holds TensorFlow 2.15.1)`);
  const out = path.join(tempDir('export-out'), 'model');
  const exported = await exportCli('--checkpoint-dir', checkpointDir, '--out', out, '--json');
  assert.equal(exported.code, 0, exported.stderr);
  const result = JSON.parse(exported.stdout) as { event: string; step: number; parameterCount: number; bytes: number };
  assert.equal(result.event, 'exported');
  assert.equal(result.step, 30);
  assert.equal(result.parameterCount, 13_071_562);
  // 13 M float32 constants ≈ 52 MB: far below protobuf's 2 GB message limit.
  assert.equal(fs.statSync(path.join(out, 'saved_model.pb')).size, result.bytes);
  assert.ok(result.bytes > 13_071_562 * 4 && result.bytes < 13_071_562 * 4 * 1.01, `saved_model.pb is ${result.bytes} bytes`);
  assert.deepEqual(fs.readdirSync(path.join(out, 'variables')), []);

  const work = tempDir('export-python');
  const imagesFile = path.join(work, 'images.f32');
  const probabilitiesFile = path.join(work, 'probabilities.f32');
  fs.writeFileSync(imagesFile, Buffer.from(images.buffer, images.byteOffset, images.byteLength));
  const python = await run(benchPython, [PREDICT_SCRIPT, out, imagesFile, String(COMPARED_IMAGES), probabilitiesFile],
    { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, maxBuffer: 16 * 1024 * 1024 });
  const signature = JSON.parse(python.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  assert.deepEqual(signature, {
    tensorflow: '2.15.1',
    input: { name: 'images', dtype: 'float32', shape: [null, 28, 28, 1] },
    output: { name: 'probabilities', dtype: 'float32', shape: [null, 10] },
    shape: [COMPARED_IMAGES, 10],
  });
  const bytes = fs.readFileSync(probabilitiesFile);
  const pythonWorst = assertMatchesTrainer(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4), 'Python tf.saved_model.load');
  t.diagnostic(`saved_model.pb ${result.bytes} bytes; Python: largest probability difference ${pythonWorst}`);

  const model = await tfnode.node.loadSavedModel(out, ['serve'], 'serving_default');
  try {
    assert.deepEqual(model.inputs.map((i) => [i.name, i.dtype]), [['images', 'float32']]);
    assert.deepEqual(model.outputs.map((o) => [o.name, o.dtype]), [['probabilities', 'float32']]);
    const input = tfnode.tensor4d(images, [COMPARED_IMAGES, 28, 28, 1]);
    const output = model.predict(input) as tfnode.Tensor;
    const probabilities = output.dataSync() as Float32Array;
    tfnode.dispose([input, output]);
    t.diagnostic(`tfjs-node: largest probability difference ${assertMatchesTrainer(probabilities, 'tfjs-node tf.node.loadSavedModel')}`);
  } finally {
    model.dispose();
  }
});

test('a run folder exports its checkpoint: the same SavedModel as naming its checkpoint folder', async () => {
  const fromCheckpoints = path.join(tempDir('export-out'), 'model');
  const fromRun = path.join(tempDir('export-out'), 'model');
  assert.equal((await exportCli('--checkpoint-dir', checkpointDir, '--out', fromCheckpoints)).code, 0);
  const result = await exportCli(runFolder, '--out', fromRun, '--json');
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as { event: string; step: number; checkpoint: string };
  assert.equal(report.event, 'exported');
  assert.equal(report.step, 30);
  assert.equal(path.dirname(report.checkpoint), checkpointDir);
  assert.ok(fs.readFileSync(path.join(fromRun, 'saved_model.pb')).equals(fs.readFileSync(path.join(fromCheckpoints, 'saved_model.pb'))));
});

test('a missing checkpoint folder, or one without a checkpoint, exits 3 with one line naming it', async () => {
  const missing = path.join(tempDir('export-missing'), 'no-such-run');
  const out = path.join(tempDir('export-out'), 'model');
  const gone = await exportCli('--checkpoint-dir', missing, '--out', out);
  assert.equal(gone.code, 3);
  assert.equal(gone.stderr.trim(), `error: There is no checkpoint folder ${missing}.`);
  const empty = tempDir('export-empty');
  const none = await exportCli(empty, '--out', out);
  assert.equal(none.code, 3);
  assert.equal(none.stderr.trim(), `error: There is no checkpoint in ${empty} (no checkpoint.rlck or checkpoint.prev.rlck).`);
  assert.equal(fs.existsSync(out), false, 'nothing is written');
});

test('a corrupt checkpoint exits 3 and says what is wrong with it; nothing is written', async () => {
  const corrupt = tempDir('export-corrupt');
  const bytes = fs.readFileSync(path.join(checkpointDir, LATEST_CHECKPOINT_FILE));
  bytes[bytes.length >> 1] ^= 0xff;
  fs.writeFileSync(path.join(corrupt, LATEST_CHECKPOINT_FILE), bytes);
  const out = path.join(tempDir('export-out'), 'model');
  const result = await exportCli('--checkpoint-dir', corrupt, '--out', out);
  assert.equal(result.code, 3);
  assert.equal(result.stderr.trim(),
    `error: The checkpoint is unusable: ${path.join(corrupt, LATEST_CHECKPOINT_FILE)}: checksum mismatch: the file is truncated or corrupted.`);
  assert.equal(fs.existsSync(out), false);
  assert.deepEqual(fs.readdirSync(path.dirname(out)), [], 'no partial folder is left behind');
});

test('an OUT that exists and is not empty, is a file, or cannot be created exits 4 and is left as it was', async () => {
  const parent = tempDir('export-out');
  const full = path.join(parent, 'full');
  fs.mkdirSync(full);
  fs.writeFileSync(path.join(full, 'notes.txt'), 'mine');
  const notEmpty = await exportCli('--checkpoint-dir', checkpointDir, '--out', full);
  assert.equal(notEmpty.code, 4);
  assert.equal(notEmpty.stderr.trim(), `error: ${full} already exists and is not empty; choose a new or empty folder for the SavedModel.`);
  assert.deepEqual(fs.readdirSync(full), ['notes.txt']);
  assert.equal(fs.readFileSync(path.join(full, 'notes.txt'), 'utf8'), 'mine');

  const file = path.join(parent, 'model.pb');
  fs.writeFileSync(file, 'mine');
  const isFile = await exportCli('--checkpoint-dir', checkpointDir, '--out', file);
  assert.equal(isFile.code, 4);
  assert.equal(isFile.stderr.trim(), `error: ${file} already exists and is a file; choose a new folder for the SavedModel.`);

  // Under a file no folder can be made (ENOTDIR): the write fails and leaves nothing behind.
  const underFile = path.join(file, 'model');
  const unwritable = await exportCli('--checkpoint-dir', checkpointDir, '--out', underFile);
  assert.equal(unwritable.code, 4);
  assert.match(unwritable.stderr.trim(), new RegExp(`^error: (Cannot use|Could not write the SavedModel to) ${underFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*ENOTDIR`));
  assert.deepEqual(fs.readdirSync(parent).sort(), ['full', 'model.pb']);
});

test('an empty OUT folder is used (a folder picked in a dialog often exists already)', async () => {
  const out = tempDir('export-empty-out');
  const result = await exportCli('--checkpoint-dir', checkpointDir, '--out', out);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(fs.readdirSync(out).sort(), ['saved_model.pb', 'variables']);
});
