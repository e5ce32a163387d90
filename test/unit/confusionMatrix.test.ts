// Confusion matrices on the real native backend and real (sliced) MNIST: every validation and
// test evaluation carries one that sums to the evaluated count and agrees with the accuracy
// computed on the backend; the error gallery returns exactly the images a cell counts, with the
// evaluation's own predictions, most confident first.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { confusionAccuracy, confusionTotal } from '../../shared/confusionMatrix';
import { galleryImages, IMAGE_PIXELS, type GalleryQuery } from '../../shared/errorGallery';
import { resolveConfig } from '../../shared/trainingConfig';
import type { EvaluationReport } from '../../shared/trainingReports';
import { loadBackend } from '../../trainer/backend/loadBackend';
import type { MnistDataset } from '../../trainer/mnist';
import { PausableRunControl } from '../../trainer/runControl';
import { TrainingRun } from '../../trainer/train/trainingRun';
import { quiet } from '../support/quietSink';
import { smallMnist } from '../support/smallMnist';

let dataset: MnistDataset;
let run: TrainingRun;
const evaluations: EvaluationReport[] = [];

before(async () => {
  await loadBackend('tensorflow');
  dataset = await smallMnist(2000, 300, 300);
  // 30 steps of batch 16 with an evaluation every 10: accuracy well above chance but not
  // perfect, so both the diagonal and some off-diagonal cells are filled. At the seed's constant
  // 1e-3 with plain He init and dropout (the default before its recipe): the recipe's 100-step
  // warm-up would leave 30 steps below chance, and this test is about the matrix, not the recipe.
  const config = resolveConfig('default', {
    steps: 30, batchSize: 16, evalEvery: 10, logEvery: 10, checkpointEvery: 0, seed: 3,
    learningRate: 1e-3, lrSchedule: 'constant', warmupSteps: 0, denseLrScale: 1, denseInitScale: 1, keepProb: 0.5,
  });
  run = new TrainingRun({ config, dataset, backend: 'tensorflow', resume: false });
  await run.run(new PausableRunControl(), { ...quiet, evaluation: (e) => evaluations.push(e) });
});

test('every evaluation, validation and test, reports a confusion matrix that sums to its count and matches its accuracy', () => {
  assert.deepEqual(evaluations.map((e) => `${e.split}@${e.step}`), ['validation@10', 'validation@20', 'validation@30', 'test@30']);
  for (const evaluation of evaluations) {
    const { matrix, perClassAccuracy } = evaluation.confusion!;
    assert.equal(confusionTotal(matrix), evaluation.examples);
    assert.equal(confusionAccuracy(matrix), evaluation.accuracy, `${evaluation.split}@${evaluation.step}`);
    // Columns are what the model predicted: the same counts the report already had.
    assert.deepEqual(matrix[0]!.map((_, p) => matrix.reduce((sum, row) => sum + row[p]!, 0)), evaluation.predictedClassCounts);
    const split = evaluation.split === 'test' ? dataset.test : dataset.validation;
    matrix.forEach((row, digit) => {
      const labelled = split.labels.filter((l) => l === digit).length;
      assert.equal(row.reduce((a, b) => a + b, 0), labelled, `row ${digit} holds every ${digit}`);
      assert.equal(perClassAccuracy[digit], labelled > 0 ? row[digit]! / labelled : null);
    });
  }
  const last = evaluations[2]!.confusion!.matrix;
  assert.ok(confusionAccuracy(last) > 0.5, `trained past chance (${confusionAccuracy(last)})`);
  assert.ok(confusionAccuracy(last) < 1, 'some images are still wrong, so off-diagonal cells are tested');
});

test('a cell gallery holds exactly the images its count counts, from that evaluation, most confident first', () => {
  for (const evaluation of evaluations) {
    const { matrix } = evaluation.confusion!;
    const split = evaluation.split === 'test' ? dataset.test : dataset.validation;
    for (let t = 0; t < 10; t++) {
      for (let p = 0; p < 10; p++) {
        const query: GalleryQuery = { split: evaluation.split, step: evaluation.step, selection: { kind: 'cell', trueDigit: t, predictedDigit: p }, limit: 48 };
        const reply = run.gallery(query);
        assert.equal(reply.matches, matrix[t]![p]);
        const images = galleryImages(reply);
        assert.equal(images.length, Math.min(48, matrix[t]![p]!));
        for (const image of images) {
          assert.equal(image.label, t);
          assert.equal(image.top[0]!.digit, p);
          assert.deepEqual(image.pixels, split.images.subarray(image.index * IMAGE_PIXELS, (image.index + 1) * IMAGE_PIXELS));
          assert.equal(new Set(image.top.map((x) => x.digit)).size, 3);
          assert.ok(image.top[0]!.probability >= image.top[1]!.probability && image.top[1]!.probability >= image.top[2]!.probability);
          assert.ok(image.top.reduce((s, x) => s + x.probability, 0) <= 1 + 3 / 255);
        }
        const confidences = images.map((i) => i.top[0]!.probability);
        assert.deepEqual(confidences, [...confidences].sort((a, b) => b - a));
      }
    }
  }
});

test('the confidently-wrong strip holds wrong images only, most confident first, out of every wrong one', () => {
  const latest = evaluations[2]!;
  const reply = run.gallery({ split: 'validation', step: latest.step, selection: { kind: 'confidentlyWrong' }, limit: 12 });
  const wrong = latest.examples - Math.round(latest.accuracy * latest.examples);
  assert.equal(reply.matches, wrong);
  const images = galleryImages(reply);
  assert.equal(images.length, Math.min(12, wrong));
  for (const image of images) assert.notEqual(image.top[0]!.digit, image.label);
  const confidences = images.map((i) => i.top[0]!.probability);
  assert.deepEqual(confidences, [...confidences].sort((a, b) => b - a));
  // Nothing left out is more confident than the least confident shown.
  const allWrong = galleryImages(run.gallery({ split: 'validation', step: latest.step, selection: { kind: 'confidentlyWrong' }, limit: 48 }));
  assert.ok(allWrong.slice(images.length).every((i) => i.top[0]!.probability <= confidences.at(-1)!));
});

test('a gallery for an evaluation this trainer did not make is refused with a readable reason', () => {
  assert.throws(() => run.gallery({ split: 'validation', step: 15, selection: { kind: 'confidentlyWrong' }, limit: 12 }),
    /^Error: The images of step 15's validation evaluation are not kept for this run: it has no run folder \(a bare checkpoint folder\), and this trainer did not make that evaluation\.$/);
  run.dispose();
});
