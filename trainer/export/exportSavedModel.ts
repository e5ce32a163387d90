// Writes a checkpoint's trained network as a TensorFlow SavedModel folder: saved_model.pb (the
// inference graph with its weights as constants, tagged "serve", signature "serving_default") and
// an empty variables/ folder, which some loaders expect to exist. The folder appears complete or
// not at all: it is written beside OUT under a temporary name and renamed into place.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExportedReport, ExportProblem } from '../../shared/modelExport';
import { LATEST_CHECKPOINT_FILE, PREVIOUS_CHECKPOINT_FILE } from '../../shared/checkpointFiles';
import { checkpointArchitecture, CheckpointError } from '../checkpoint/checkpointFormat';
import { CheckpointStore, type LoadedCheckpoint } from '../checkpoint/checkpointStore';
import { describeWriteFailure } from '../checkpoint/describeWriteFailure';
import { buildInferenceGraph, SERVING_SIGNATURE, SERVING_TAG, WeightsMismatchError } from './inferenceGraph';

/** Protobuf cannot parse a message of 2 GB or more; the default model's is ~52 MB. */
const PROTOBUF_LIMIT_BYTES = 2 ** 31 - 1;

/** What went wrong is the `problem`, so the CLI can give each its own exit code. */
export class ExportError extends Error {
  constructor(readonly problem: ExportProblem, message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

export type ExportResult = Omit<ExportedReport, 'event'>;

/** OUT may be new or an empty folder; anything else would mix with or replace the user's files. */
function checkOutput(out: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new ExportError('output', `Cannot use ${out}: ${describeWriteFailure(error, { retry: 'export again', folder: 'output folder' })}.`);
  }
  if (!stat.isDirectory()) throw new ExportError('output', `${out} already exists and is a file; choose a new folder for the SavedModel.`);
  if (fs.readdirSync(out).length > 0) throw new ExportError('output', `${out} already exists and is not empty; choose a new or empty folder for the SavedModel.`);
}

function loadCheckpoint(checkpointDir: string): LoadedCheckpoint {
  if (!fs.existsSync(checkpointDir)) throw new ExportError('checkpoint', `There is no checkpoint folder ${checkpointDir}.`);
  if (!fs.statSync(checkpointDir).isDirectory()) throw new ExportError('checkpoint', `${checkpointDir} is not a folder; give the folder that holds ${LATEST_CHECKPOINT_FILE}.`);
  let checkpoint: LoadedCheckpoint | null;
  try {
    checkpoint = new CheckpointStore(checkpointDir).load();
  } catch (error) {
    if (error instanceof CheckpointError) throw new ExportError('checkpoint', `The checkpoint is unusable: ${error.message}.`);
    throw error;
  }
  if (!checkpoint) throw new ExportError('checkpoint', `There is no checkpoint in ${checkpointDir} (no ${LATEST_CHECKPOINT_FILE} or ${PREVIOUS_CHECKPOINT_FILE}).`);
  return checkpoint;
}

function writeSavedModel(out: string, savedModel: Uint8Array): void {
  const parent = path.dirname(path.resolve(out));
  const temporary = path.join(parent, `.${path.basename(out)}.partial-${process.pid}`);
  try {
    fs.mkdirSync(parent, { recursive: true });
    fs.rmSync(temporary, { recursive: true, force: true });
    fs.mkdirSync(path.join(temporary, 'variables'), { recursive: true });
    const fd = fs.openSync(path.join(temporary, 'saved_model.pb'), 'w');
    try {
      fs.writeSync(fd, savedModel);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    // rename() replaces only an empty folder, which checkOutput allowed.
    fs.renameSync(temporary, out);
  } catch (error) {
    fs.rmSync(temporary, { recursive: true, force: true });
    throw new ExportError('output', `Could not write the SavedModel to ${out}: ${describeWriteFailure(error, { retry: 'export again', folder: 'output folder' })}.`);
  }
}

/** Exports the latest usable checkpoint in `checkpointDir` (a run's folder) to the new folder `out`. */
export function exportSavedModel(checkpointDir: string, out: string): ExportResult {
  checkOutput(out);
  const checkpoint = loadCheckpoint(checkpointDir);
  const arch = checkpointArchitecture(checkpoint.header);
  let built;
  try {
    built = buildInferenceGraph(arch, checkpoint.tensors);
  } catch (error) {
    if (error instanceof WeightsMismatchError) throw new ExportError('checkpoint', `${checkpoint.path}: ${error.message}.`);
    throw error;
  }
  const savedModel = built.graph.toSavedModel(SERVING_TAG, { [SERVING_SIGNATURE]: built.signature });
  if (savedModel.length >= PROTOBUF_LIMIT_BYTES) throw new ExportError('output', `The SavedModel would be ${savedModel.length} bytes, over protobuf's 2 GB limit.`);
  writeSavedModel(out, savedModel);
  return {
    out, checkpoint: checkpoint.path, step: checkpoint.header.step, parameterCount: built.parameterCount, bytes: savedModel.length,
    ...(checkpoint.warning ? { warning: `The latest checkpoint in ${checkpointDir} is unusable; exported the previous one (step ${checkpoint.header.step}).` } : {}),
  };
}
