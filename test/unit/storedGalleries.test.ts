// The error gallery of a run whose trainer has ended, through the path the extension takes: a
// TrainingSession launching real detached trainers (dist/trainer.js, native TensorFlow, real
// MNIST) as extension.ts does. A short run evaluates; its trainer writes each evaluation's
// predictions into the run folder; after the trainer has exited, a reloaded window's session
// answers every cell of every evaluation from there (through an inspection trainer that has
// loaded the checkpoint for a prediction) with exactly the images its count counts and the same
// bytes the live trainer sent; with the checkpoint gone (retention) an inspection trainer with no
// model answers the same; a corrupt, truncated or missing file is a readable refusal and the
// inspection trainer answers on.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { predictionsFilePath } from '../../runStore/predictionFiles';
import { DIGIT_CLASSES } from '../../shared/confusionMatrix';
import { TOP_PREDICTION_BYTES, type ErrorGallery, type GalleryQuery } from '../../shared/errorGallery';
import { resolveConfig } from '../../shared/trainingConfig';
import type { EvaluationReport } from '../../shared/trainingReports';
import { DetachedTrainer } from '../../src/session/detachedTrainer';
import { TrainingSession, type Detachment, type RunRecord } from '../../src/session/trainingSession';
import { windowTrainers } from '../../src/session/windowTrainers';
import { ownerPid, processGone } from '../support/detachedRun';
import { tempDir, trainerBundle } from '../support/paths';

// Evaluations at steps 3 and 6 (validation) and the final test at 6.
const config = resolveConfig('default', { steps: 6, batchSize: 8, logEvery: 3, evalEvery: 3, checkpointEvery: 0 });
const log = { info: () => {}, warn: () => {}, error: () => {} };

/** A window of the extension: detached trainers for runs, an attached child to inspect one (extension.ts's launcher). */
function window(root: string, records: { value?: RunRecord }): TrainingSession {
  const detachment: Detachment = { windowId: 'window-1', graceMs: 1000, keepTraining: () => false, attach: (runDir, pid) => DetachedTrainer.attach(runDir, pid) };
  return new TrainingSession(
    windowTrainers(trainerBundle),
    { get: () => records.value, set: (record) => { records.value = record; } },
    root, log, Date.now, detachment,
  );
}

/** Every cell of the evaluation's matrix, and its confidently-wrong strip. */
function queries(evaluation: EvaluationReport): GalleryQuery[] {
  const { split, step } = evaluation;
  const cells = Array.from({ length: DIGIT_CLASSES * DIGIT_CLASSES }, (_, i): GalleryQuery => ({
    split, step, selection: { kind: 'cell', trueDigit: Math.floor(i / DIGIT_CLASSES), predictedDigit: i % DIGIT_CLASSES }, limit: 48,
  }));
  return [...cells, { split, step, selection: { kind: 'confidentlyWrong' }, limit: 12 }];
}

async function galleries(session: TrainingSession, evaluations: readonly EvaluationReport[]): Promise<ErrorGallery[]> {
  const replies: ErrorGallery[] = [];
  for (const evaluation of evaluations) for (const query of queries(evaluation)) replies.push(await session.gallery(query));
  return replies;
}

function stateReached(session: TrainingSession, state: string): Promise<void> {
  return new Promise((resolve) => {
    if (session.sessionState === state) resolve();
    session.onDidChange((snapshot) => { if (snapshot.state === state) resolve(); });
  });
}

test('after its trainer has exited, a run\'s galleries come from its run folder: every cell, the same bytes as live; corrupt, truncated and missing files are refused in words', async () => {
  const root = tempDir('stored-galleries');
  const records: { value?: RunRecord } = {};
  const first = window(root, records);
  first.start(config);
  const runId = first.currentRunId!;
  await stateReached(first, 'running');
  const trainerPid = ownerPid(first.runs, runId);
  await stateReached(first, 'finished');
  const evaluations = first.snapshot.evaluations;
  assert.deepEqual(evaluations.map((e) => `${e.split}@${e.step}`), ['validation@3', 'validation@6', 'test@6']);

  // The run's own trainer, still up after finishing, answers from what it holds.
  const live = await galleries(first, evaluations);
  const runDir = first.runs.get(runId)!.dir;
  for (const evaluation of evaluations) {
    const file = path.join(runDir, predictionsFilePath(evaluation.split, evaluation.step));
    assert.equal(fs.statSync(file).size, 20 + evaluation.examples * TOP_PREDICTION_BYTES, file);
  }

  // The window reloads: it leaves the finished trainer, which ends for want of a window.
  await first.shutdown(5000);
  await processGone(trainerPid);
  const reloaded = window(root, records);
  assert.equal(reloaded.sessionState, 'finished');
  assert.deepEqual(reloaded.snapshot.evaluations, evaluations);
  // A drawn digit's prediction first: the inspection trainer loads the checkpoint, and answers the galleries too.
  assert.equal((await reloaded.insideViews.predict(Buffer.alloc(784).toString('base64'))).step, config.steps);
  const withModel = reloaded.insideViews.inspectionTrainer;
  const fromDisk = await galleries(reloaded, evaluations);
  assert.ok(withModel && reloaded.insideViews.inspectionTrainer === withModel, 'answered by the inspection trainer that loaded the model');
  assert.deepEqual(fromDisk, live);
  let asked = 0;
  for (const evaluation of evaluations) {
    for (const query of queries(evaluation)) {
      const reply = fromDisk[asked++]!;
      if (query.selection.kind !== 'cell') continue;
      const { trueDigit, predictedDigit } = query.selection;
      assert.equal(reply.matches, evaluation.confusion!.matrix[trueDigit]![predictedDigit], `${evaluation.split}@${evaluation.step} ${trueDigit}→${predictedDigit}`);
      assert.equal(reply.indices.length, Math.min(48, reply.matches));
      assert.ok(reply.labels.every((label) => label === trueDigit));
    }
  }
  await reloaded.shutdown(5000);

  // Retention removed the checkpoint: no model to load, and an inspection trainer without one answers the galleries the same.
  fs.rmSync(first.runs.get(runId)!.checkpointDir, { recursive: true });
  const retained = window(root, records);
  await assert.rejects(retained.insideViews.predict(Buffer.alloc(784).toString('base64')), /no trained model yet/);
  assert.deepEqual(await galleries(retained, evaluations), live);
  const validationAt3 = queries(evaluations[0]!);

  // Damaged files: each refused with the file and the reason; the inspection trainer answers on.
  const inspector = retained.insideViews.inspectionTrainer;
  const fileOf = (e: EvaluationReport) => path.join(runDir, predictionsFilePath(e.split, e.step));
  const original = fs.readFileSync(fileOf(evaluations[0]!));
  const corrupt = Buffer.from(original);
  corrupt[20 + 6 * 2500] ^= 0x01;
  fs.writeFileSync(fileOf(evaluations[0]!), corrupt);
  fs.truncateSync(fileOf(evaluations[2]!), 20 + 6 * 9999);
  fs.rmSync(fileOf(evaluations[1]!));
  const name = (e: EvaluationReport) => predictionsFilePath(e.split, e.step);
  await assert.rejects(retained.gallery(validationAt3[0]!), {
    message: `The images of step 3's validation evaluation are not kept for this run: ${name(evaluations[0]!)} is corrupt (its checksum does not match its contents).`,
  });
  await assert.rejects(retained.gallery(queries(evaluations[2]!)[44]!), {
    message: `The images of step 6's test evaluation are not kept for this run: ${name(evaluations[2]!)} is truncated (60,014 bytes, expected 60,020).`,
  });
  await assert.rejects(retained.gallery(queries(evaluations[1]!)[100]!), {
    message: `The images of step 6's validation evaluation are not kept for this run: its file ${name(evaluations[1]!)} is missing (the evaluation was made before predictions were kept, or is older than the newest 64).`,
  });
  fs.writeFileSync(fileOf(evaluations[0]!), original);
  assert.deepEqual(await retained.gallery(validationAt3[100]!), live[100]);
  assert.equal(retained.insideViews.inspectionTrainer, inspector, 'the same inspection trainer answered throughout');
  await retained.shutdown(5000);
});
