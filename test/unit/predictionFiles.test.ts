// The run folder's prediction files (runStore/predictionFiles.ts) and the gallery's reading of
// them: what is written is read back byte for byte; a missing, truncated, corrupt, foreign or
// wrong-size file is refused with a sentence saying which file and why, never a crash nor wrong
// images; a run with many evaluations keeps the newest MAX_KEPT_EVALUATIONS; a bare checkpoint
// folder (no run folder) keeps none. Real MNIST validation images; the predictions are made up.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { MAX_KEPT_EVALUATIONS, PREDICTIONS_FOLDER, PredictionFiles, predictionsFilePath } from '../../runStore/predictionFiles';
import { RunStore } from '../../runStore/runStore';
import { seedResNetArchitecture } from '../../shared/architecture';
import { galleryImages, TOP_PREDICTION_BYTES, type GalleryQuery } from '../../shared/errorGallery';
import { resolveConfig } from '../../shared/trainingConfig';
import { EvaluationPredictions, type RawImages } from '../../trainer/evaluation/evaluationPredictions';
import { smallMnist } from '../support/smallMnist';
import { tempDir } from '../support/paths';

const IMAGES = 300;
let validation: RawImages;

before(async () => {
  validation = (await smallMnist(10, IMAGES, 10)).validation;
});

/** Predictions as an evaluation packs them: image i is predicted (label + i) mod 10 at confidence i mod 256, then two other digits. */
function madeUpPredictions(labels: Uint8Array): Uint8Array {
  const top = new Uint8Array(labels.length * TOP_PREDICTION_BYTES);
  labels.forEach((label, i) => {
    const first = (label + i) % 10;
    top.set([first, i % 256, (first + 1) % 10, 3, (first + 2) % 10, 1], i * TOP_PREDICTION_BYTES);
  });
  return top;
}

/** A run folder of a real run store (its checkpoint folder is what trainers are given). */
function runFolder(): { runDir: string; checkpointDir: string } {
  const store = new RunStore(tempDir('prediction-files'));
  const writer = store.create(resolveConfig('default'), seedResNetArchitecture(), 'cli');
  return { runDir: writer.dir, checkpointDir: writer.checkpointDir };
}

const cell = (step: number, trueDigit: number, predictedDigit: number): GalleryQuery => ({ split: 'validation', step, selection: { kind: 'cell', trueDigit, predictedDigit }, limit: 48 });

test('a run\'s checkpoint folder leads to its prediction files; a bare checkpoint folder to none', () => {
  const { runDir, checkpointDir } = runFolder();
  assert.equal(PredictionFiles.ofCheckpointFolder(checkpointDir)?.runDir, runDir);
  assert.equal(PredictionFiles.ofCheckpointFolder(tempDir('bare-checkpoints')), null);
  assert.equal(PredictionFiles.ofCheckpointFolder(undefined), null);
  assert.equal(predictionsFilePath('validation', 500), path.join('predictions', 'validation-000500.bin'));
  assert.equal(predictionsFilePath('test', 1719), path.join('predictions', 'test-001719.bin'));
});

test('an evaluation remembered by one trainer is answered from the run folder by another, identically', () => {
  const { checkpointDir, runDir } = runFolder();
  const topPredictions = madeUpPredictions(validation.labels);
  const maker = new EvaluationPredictions(PredictionFiles.ofCheckpointFolder(checkpointDir));
  maker.remember({ split: 'validation', step: 500, topPredictions });
  const file = path.join(runDir, predictionsFilePath('validation', 500));
  assert.equal(fs.statSync(file).size, 20 + IMAGES * TOP_PREDICTION_BYTES);
  assert.deepEqual(new Uint8Array(fs.readFileSync(file).subarray(20)), topPredictions);

  const later = new EvaluationPredictions(PredictionFiles.ofCheckpointFolder(checkpointDir));
  for (const query of [cell(500, 4, 9), cell(500, 7, 7), { ...cell(500, 0, 0), selection: { kind: 'confidentlyWrong' as const }, limit: 12 }]) {
    const fromDisk = later.gallery(query, validation);
    assert.deepEqual(fromDisk, maker.gallery(query, validation));
    if (query.selection.kind === 'cell') {
      const { trueDigit, predictedDigit } = query.selection;
      const expected = [...validation.labels].filter((label, i) => label === trueDigit && (label + i) % 10 === predictedDigit).length;
      assert.equal(fromDisk.matches, expected);
      assert.ok(galleryImages(fromDisk).every((image) => image.label === trueDigit && image.top[0]!.digit === predictedDigit));
    }
  }
  assert.ok(later.gallery(cell(500, 4, 9), validation).matches > 0, 'the cell tested is not empty');
});

test('a missing, truncated, corrupt, foreign or wrong-size file is refused with a readable reason', () => {
  const { checkpointDir, runDir } = runFolder();
  const files = PredictionFiles.ofCheckpointFolder(checkpointDir)!;
  const good = madeUpPredictions(validation.labels);
  files.write({ split: 'validation', step: 10, topPredictions: good });
  const goodBytes = fs.readFileSync(path.join(runDir, predictionsFilePath('validation', 10)));
  const reader = new EvaluationPredictions(files);
  const refusal = (step: number) => {
    try {
      reader.gallery(cell(step, 4, 9), validation);
    } catch (error) {
      return (error as Error).message;
    }
    return assert.fail(`step ${step} was answered`);
  };
  const place = (step: number, bytes: Uint8Array) => fs.writeFileSync(path.join(runDir, predictionsFilePath('validation', step)), bytes);
  const prefix = (step: number) => `The images of step ${step}'s validation evaluation are not kept for this run: `;
  const name = (step: number) => predictionsFilePath('validation', step);

  assert.equal(refusal(20), `${prefix(20)}its file ${name(20)} is missing (the evaluation was made before predictions were kept, or is older than the newest ${MAX_KEPT_EVALUATIONS}).`);
  // Another evaluation's file copied into place.
  place(30, goodBytes);
  assert.equal(refusal(30), `${prefix(30)}${name(30)} holds the validation evaluation of step 10 instead.`);
  const truncated = Buffer.from(goodBytes);
  truncated.writeUInt32LE(40, 8);
  place(40, truncated.subarray(0, truncated.length - 7));
  assert.equal(refusal(40), `${prefix(40)}${name(40)} is truncated (1,813 bytes, expected 1,820).`);
  place(41, truncated.subarray(0, 11));
  assert.equal(refusal(41), `${prefix(41)}its file ${name(41)} is truncated (11 bytes, not even a header).`);
  const corrupt = Buffer.from(goodBytes);
  corrupt.writeUInt32LE(50, 8);
  corrupt[20 + 6 * 123 + 1] ^= 0x40;
  place(50, corrupt);
  assert.equal(refusal(50), `${prefix(50)}${name(50)} is corrupt (its checksum does not match its contents).`);
  place(60, Buffer.from('{"not": "a predictions file"}\n'.repeat(100)));
  assert.equal(refusal(60), `${prefix(60)}${name(60)} is not a predictions file.`);
  // A file of another split's evaluation renamed into place, and one made for fewer images.
  files.write({ split: 'test', step: 70, topPredictions: good });
  fs.renameSync(path.join(runDir, predictionsFilePath('test', 70)), path.join(runDir, name(70)));
  assert.equal(refusal(70), `${prefix(70)}${name(70)} holds the test evaluation of step 70 instead.`);
  files.write({ split: 'validation', step: 80, topPredictions: good.subarray(0, 100 * TOP_PREDICTION_BYTES) });
  assert.equal(refusal(80), `${prefix(80)}${name(80)} holds predictions for 100 images; the validation split has 300.`);
  const longer = Buffer.concat([goodBytes, Buffer.alloc(6)]);
  longer.writeUInt32LE(90, 8);
  place(90, longer);
  assert.equal(refusal(90), `${prefix(90)}${name(90)} is longer than its header says (1,826 bytes, expected 1,820).`);
  // A well-formed file whose bytes name a digit that does not exist (made by something else).
  const foreignDigit = Buffer.from(good);
  foreignDigit[6 * 7] = 12;
  files.write({ split: 'validation', step: 100, topPredictions: foreignDigit });
  assert.equal(refusal(100), `${prefix(100)}${name(100)} is corrupt (image 7 has digit 12 among its top 3).`);
  // A folder where the file should be: unreadable, still a sentence.
  fs.mkdirSync(path.join(runDir, name(110)));
  assert.equal(refusal(110), `${prefix(110)}its file ${name(110)} cannot be read (EISDIR).`);

  // The good file is still answered after all that.
  assert.equal(reader.gallery(cell(10, 4, 9), validation).query.step, 10);
});

test('a run with many evaluations keeps the files of the newest MAX_KEPT_EVALUATIONS; no temporary file is left behind', () => {
  const { checkpointDir, runDir } = runFolder();
  const predictions = new EvaluationPredictions(PredictionFiles.ofCheckpointFolder(checkpointDir));
  const topPredictions = madeUpPredictions(validation.labels);
  const steps = Array.from({ length: MAX_KEPT_EVALUATIONS + 6 }, (_, i) => (i + 1) * 10);
  for (const step of steps) predictions.remember({ split: 'validation', step, topPredictions });
  predictions.remember({ split: 'test', step: steps.at(-1)!, topPredictions });
  const kept = fs.readdirSync(path.join(runDir, PREDICTIONS_FOLDER)).sort();
  const newest = [...steps.slice(-(MAX_KEPT_EVALUATIONS - 1)).map((step) => path.basename(predictionsFilePath('validation', step))), path.basename(predictionsFilePath('test', steps.at(-1)!))].sort();
  assert.deepEqual(kept, newest);
});

test('a write that fails is reported in one line and the evaluation is still answered from memory', () => {
  const { checkpointDir, runDir } = runFolder();
  // A file where the predictions folder should be: the write cannot create it.
  fs.writeFileSync(path.join(runDir, PREDICTIONS_FOLDER), 'in the way');
  const lines: string[] = [];
  const predictions = new EvaluationPredictions(PredictionFiles.ofCheckpointFolder(checkpointDir), (line) => lines.push(line));
  predictions.remember({ split: 'validation', step: 5, topPredictions: madeUpPredictions(validation.labels) });
  assert.equal(lines.length, 1);
  assert.ok(lines[0]!.startsWith(`could not keep the validation predictions of step 5 in ${runDir}: EEXIST`), lines[0]);
  assert.ok(predictions.gallery(cell(5, 4, 9), validation).matches > 0);
});
