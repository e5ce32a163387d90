// Each evaluation's per-image top-3 predictions, kept in its run folder so the error gallery can
// show the images behind any confusion-matrix cell of any evaluation on the slider, for any run on
// disk, whether or not the trainer that made the evaluation is still alive. This file owns their
// layout, one file per evaluation:
//   <run>/predictions/validation-000500.bin, <run>/predictions/test-001719.bin
// each a 20-byte header then the evaluation's packed predictions, 6 bytes per image (about 30 KB
// for the 5,000 validation images, 60 KB for the 10,000 test images). The header names the split,
// step and image count and carries a CRC-32 of the bytes, so a truncated, corrupt or foreign file
// is refused with the reason instead of showing wrong images. They live as long as the run folder
// (deleting a run deletes them); a run keeps those of its newest MAX_KEPT_EVALUATIONS evaluations.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import { DIGIT_CLASSES } from '../shared/confusionMatrix';
import { TOP_PREDICTION_BYTES, TOP_PREDICTIONS } from '../shared/errorGallery';
import type { EvaluationSplit } from '../shared/trainingReports';
import { writeFileAtomic } from './atomicFile';
import { runFolderOfCheckpoints } from './runWriter';

export const PREDICTIONS_FOLDER = 'predictions';
/**
 * Evaluations whose predictions are kept, newest first: in a trainer's memory and in a run folder
 * alike (64 validations are about 2 MB). Older ones are dropped.
 */
export const MAX_KEPT_EVALUATIONS = 64;

/** One evaluation's predictions: per image [digit, p × 255] × 3, likeliest first. */
export interface SplitPredictions {
  split: EvaluationSplit;
  step: number;
  topPredictions: Uint8Array;
}

/** "RLP1": ResNet Lab predictions, format 1. */
const MAGIC = 0x31504c52;
/** magic u32, split u8 + 3 zero bytes, step u32, image count u32, CRC-32 of the predictions u32; little-endian. */
const HEADER_BYTES = 20;
const SPLIT_CODES: Readonly<Record<EvaluationSplit, number>> = { validation: 0, test: 1 };
const MAX_U32 = 0xffff_ffff;
const FILE_NAME = /^(validation|test)-(\d+)\.bin$/;

/** The file of one evaluation, relative to its run folder. */
export function predictionsFilePath(split: EvaluationSplit, step: number): string {
  return path.join(PREDICTIONS_FOLDER, `${split}-${String(step).padStart(6, '0')}.bin`);
}

/** Why a stored evaluation's predictions cannot be used; the message is a clause for the user. */
export class PredictionsNotKept extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PredictionsNotKept';
  }
}

/** A run folder's prediction files: written when an evaluation is made, read when its gallery is asked for. */
export class PredictionFiles {
  constructor(readonly runDir: string) {}

  /**
   * The prediction files of the run whose checkpoint folder this is: trainers are given a run's
   * checkpoint folder, whether they train the run or inspect it. None for a bare checkpoint
   * folder (a CLI --checkpoint-dir): its predictions are kept in memory only.
   */
  static ofCheckpointFolder(checkpointDir: string | undefined): PredictionFiles | null {
    const runDir = checkpointDir === undefined ? null : runFolderOfCheckpoints(checkpointDir);
    return runDir === null ? null : new PredictionFiles(runDir);
  }

  /** Writes one evaluation's file atomically, then drops the files of evaluations older than the newest MAX_KEPT_EVALUATIONS. */
  write(predictions: SplitPredictions): void {
    const { split, step, topPredictions } = predictions;
    if (step > MAX_U32) throw new Error(`step ${step} does not fit a predictions file`);
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt32LE(MAGIC, 0);
    header.writeUInt8(SPLIT_CODES[split], 4);
    header.writeUInt32LE(step, 8);
    header.writeUInt32LE(topPredictions.length / TOP_PREDICTION_BYTES, 12);
    header.writeUInt32LE(crc32(topPredictions), 16);
    fs.mkdirSync(path.join(this.runDir, PREDICTIONS_FOLDER), { recursive: true });
    writeFileAtomic(path.join(this.runDir, predictionsFilePath(split, step)), Buffer.concat([header, topPredictions]));
    this.prune();
  }

  /** The predictions of the `split` evaluation at `step`, checked against the split's `imageCount`; throws PredictionsNotKept saying why not. */
  read(split: EvaluationSplit, step: number, imageCount: number): Uint8Array {
    const name = predictionsFilePath(split, step);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path.join(this.runDir, name));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new PredictionsNotKept(`its file ${name} is missing (the evaluation was made before predictions were kept, or is older than the newest ${MAX_KEPT_EVALUATIONS})`);
      throw new PredictionsNotKept(`its file ${name} cannot be read (${code ?? (error as Error).message})`);
    }
    const expectedBytes = HEADER_BYTES + imageCount * TOP_PREDICTION_BYTES;
    if (bytes.length < HEADER_BYTES) throw new PredictionsNotKept(`its file ${name} is truncated (${bytes.length} bytes, not even a header)`);
    const storedSplit = (Object.keys(SPLIT_CODES) as EvaluationSplit[]).find((s) => SPLIT_CODES[s] === bytes.readUInt8(4));
    if (bytes.readUInt32LE(0) !== MAGIC || storedSplit === undefined) throw new PredictionsNotKept(`${name} is not a predictions file`);
    const storedStep = bytes.readUInt32LE(8);
    if (storedSplit !== split || storedStep !== step) throw new PredictionsNotKept(`${name} holds the ${storedSplit} evaluation of step ${storedStep} instead`);
    const storedCount = bytes.readUInt32LE(12);
    if (storedCount !== imageCount) throw new PredictionsNotKept(`${name} holds predictions for ${storedCount.toLocaleString('en-US')} images; the ${split} split has ${imageCount.toLocaleString('en-US')}`);
    if (bytes.length !== expectedBytes) {
      throw new PredictionsNotKept(`${name} is ${bytes.length < expectedBytes ? 'truncated' : 'longer than its header says'} (${bytes.length.toLocaleString('en-US')} bytes, expected ${expectedBytes.toLocaleString('en-US')})`);
    }
    const topPredictions = new Uint8Array(bytes.buffer, bytes.byteOffset + HEADER_BYTES, imageCount * TOP_PREDICTION_BYTES);
    if (crc32(topPredictions) !== bytes.readUInt32LE(16)) throw new PredictionsNotKept(`${name} is corrupt (its checksum does not match its contents)`);
    for (let i = 0; i < topPredictions.length; i += 2) {
      if (topPredictions[i]! >= DIGIT_CLASSES) throw new PredictionsNotKept(`${name} is corrupt (image ${Math.floor(i / TOP_PREDICTION_BYTES)} has digit ${topPredictions[i]} among its top ${TOP_PREDICTIONS})`);
    }
    return topPredictions;
  }

  /** Keeps the files of the newest MAX_KEPT_EVALUATIONS evaluations (by step; at one step the test comes after the validation). */
  private prune(): void {
    const folder = path.join(this.runDir, PREDICTIONS_FOLDER);
    const stored = fs.readdirSync(folder).flatMap((name) => {
      const match = FILE_NAME.exec(name);
      return match ? [{ name, step: Number(match[2]), order: SPLIT_CODES[match[1] as EvaluationSplit] }] : [];
    });
    stored.sort((a, b) => b.step - a.step || b.order - a.order);
    for (const old of stored.slice(MAX_KEPT_EVALUATIONS)) fs.rmSync(path.join(folder, old.name), { force: true });
  }
}
