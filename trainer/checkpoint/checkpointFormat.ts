// The checkpoint file format, pure and testable: a JSON header (step, config, data order, RNG,
// optimiser iteration, history, tensor table) and the float32 tensors, sealed by a CRC-32 so a
// torn or corrupted file is recognised on load instead of trained from.
//
//   "RLCK" | u32 header length | header JSON | zero pad to 4 | float32 LE tensors | u32 CRC-32
import { crc32 } from 'node:zlib';
import { seedResNetArchitecture, type ArchitectureSpec } from '../../shared/architecture';
import { checkArchitecture, describeArchitectureProblems } from '../../shared/architectureCheck';
import { validateConfig, withLaterFieldDefaults, type TrainingConfig } from '../../shared/trainingConfig';
import { EXECUTIONS, type Execution, type RunHistory } from '../../shared/trainingReports';
import { isIntegerIn, isRecord } from '../../shared/validation';
import type { DataOrderState } from '../data/trainingBatches';
import { architectureHash } from './architectureHash';

export const CHECKPOINT_SCHEMA_VERSION = 1;
const MAGIC = Buffer.from('RLCK', 'ascii');
const MAX_HEADER_BYTES = 64 * 1024 * 1024;

export interface TensorEntry {
  name: string;
  shape: number[];
  /** Offset into the payload, in float32 elements. */
  offset: number;
}

export interface CheckpointHeader {
  schemaVersion: number;
  savedAt: string;
  /** Steps completed; training resumes with step + 1. */
  step: number;
  config: TrainingConfig;
  /**
   * The network these weights belong to, and its architectureHash. Absent in checkpoints from
   * before architecture files, which all hold the seed network (with config.keepProb).
   */
  architecture?: ArchitectureSpec;
  architectureHash?: string;
  dataOrder: DataOrderState;
  /** Adam's t: updates applied. */
  adamIteration: number;
  /**
   * How the steps ran: the graph and eager engines agree only up to float rounding, so a resume
   * on the other one is not bit-exact. Absent in checkpoints from before the graph engine (eager).
   */
  execution?: Execution;
  /** Training seconds spent before this checkpoint, so a resumed run's ETA and images/s stay right. */
  trainSec: number;
  history: RunHistory;
  tensors: TensorEntry[];
}

/** The network a checkpoint's weights belong to (the seed's for checkpoints that predate the field). */
export function checkpointArchitecture(header: CheckpointHeader): ArchitectureSpec {
  return header.architecture ?? seedResNetArchitecture(header.config.keepProb);
}

export interface NamedTensorData {
  name: string;
  shape: number[];
  data: Float32Array;
}

/**
 * A tensor to save: its values, or a function that reads them just when they are written, so a
 * save of the full model holds one tensor's copy at a time (fc1's 51 MB at most), not all (157 MB).
 */
export interface TensorToSave extends Omit<NamedTensorData, 'data'> {
  data: Float32Array | (() => Float32Array);
}

export class CheckpointError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'CheckpointError';
  }
}

const elements = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Encodes to chunks, written in sequence, so 150 MB of weights are never copied into one buffer;
 * each tensor's values are read (see TensorToSave) only when its chunk is next.
 */
export function* encodeCheckpoint(header: Omit<CheckpointHeader, 'tensors' | 'schemaVersion'>, tensors: TensorToSave[]): Generator<Buffer> {
  let offset = 0;
  const table: TensorEntry[] = tensors.map((t) => {
    const entry = { name: t.name, shape: [...t.shape], offset };
    offset += elements(t.shape);
    return entry;
  });
  const json = Buffer.from(JSON.stringify({ ...header, schemaVersion: CHECKPOINT_SCHEMA_VERSION, tensors: table }), 'utf8');
  const prefix = Buffer.alloc(8);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(json.length, 4);
  const pad = Buffer.alloc((4 - ((8 + json.length) % 4)) % 4);
  let crc = 0;
  for (const chunk of [prefix, json, pad]) {
    crc = crc32(chunk, crc);
    yield chunk;
  }
  for (const t of tensors) {
    const data = typeof t.data === 'function' ? t.data() : t.data;
    if (data.length !== elements(t.shape)) throw new Error(`${t.name}: ${data.length} values for shape ${t.shape.join('×')}`);
    // Typed arrays are little-endian on every platform Node and tfjs-node run on (x86-64, arm64).
    const chunk = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    crc = crc32(chunk, crc);
    yield chunk;
  }
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32LE(crc >>> 0, 0);
  yield trailer;
}

function checkHeader(file: string, header: unknown, payloadFloats: number): CheckpointHeader {
  if (!isRecord(header)) throw new CheckpointError(file, 'header is not an object');
  if (header.schemaVersion !== CHECKPOINT_SCHEMA_VERSION) {
    throw new CheckpointError(file, `schema version ${String(header.schemaVersion)} is not supported (this version reads ${CHECKPOINT_SCHEMA_VERSION})`);
  }
  if (!isIntegerIn(header.step, 0, Number.MAX_SAFE_INTEGER)) throw new CheckpointError(file, 'step is not a whole number');
  if (!isRecord(header.config)) throw new CheckpointError(file, 'config is missing');
  // Checkpoints written before the schedule levers existed trained at one constant rate, from plain init.
  const config = withLaterFieldDefaults(header.config);
  header.config = config;
  const problems = validateConfig(config);
  if (problems.length > 0) throw new CheckpointError(file, `config is invalid: ${problems.join('; ')}`);
  if (header.architecture !== undefined) {
    const checked = checkArchitecture(header.architecture);
    if (!checked.ok) throw new CheckpointError(file, `its network is invalid: ${describeArchitectureProblems(checked.problems)}`);
    if (header.architectureHash !== architectureHash(checked.spec)) throw new CheckpointError(file, 'its network does not match the hash written with it');
  } else if (header.architectureHash !== undefined) {
    throw new CheckpointError(file, 'it has a network hash but no network');
  }
  const order = header.dataOrder;
  if (!isRecord(order) || !isIntegerIn(order.epoch, 0, 1e9) || !isIntegerIn(order.cursor, 0, 1e9) || !isIntegerIn(order.epochRngState, 0, 0xffffffff)) {
    throw new CheckpointError(file, 'data-order state is invalid');
  }
  if (!isIntegerIn(header.adamIteration, 0, Number.MAX_SAFE_INTEGER)) throw new CheckpointError(file, 'optimiser iteration is invalid');
  if (header.execution !== undefined && !EXECUTIONS.includes(header.execution as Execution)) throw new CheckpointError(file, 'execution mode is invalid');
  if (typeof header.trainSec !== 'number' || !(header.trainSec >= 0)) throw new CheckpointError(file, 'trainSec is invalid');
  const history = header.history;
  if (!isRecord(history) || !Array.isArray(history.progress) || !Array.isArray(history.evaluations)) throw new CheckpointError(file, 'history is invalid');
  if (!Array.isArray(header.tensors)) throw new CheckpointError(file, 'tensor table is missing');
  let expectedOffset = 0;
  for (const entry of header.tensors as unknown[]) {
    if (!isRecord(entry) || typeof entry.name !== 'string' || !Array.isArray(entry.shape) || !entry.shape.every((d) => isIntegerIn(d, 1, 1e9))) {
      throw new CheckpointError(file, 'tensor table entry is invalid');
    }
    if (entry.offset !== expectedOffset) throw new CheckpointError(file, `tensor ${entry.name} is at offset ${String(entry.offset)}, expected ${expectedOffset}`);
    expectedOffset += elements(entry.shape as number[]);
  }
  if (expectedOffset !== payloadFloats) throw new CheckpointError(file, `tensor table describes ${expectedOffset} values but the file holds ${payloadFloats}`);
  return header as unknown as CheckpointHeader;
}

export interface DecodedCheckpoint {
  header: CheckpointHeader;
  tensors: Map<string, NamedTensorData>;
}

/** Validates everything (magic, CRC, header, tensor table, sizes) before returning anything. */
export function decodeCheckpoint(file: string, bytes: Buffer): DecodedCheckpoint {
  if (bytes.length < 12) throw new CheckpointError(file, `file is truncated (${bytes.length} bytes)`);
  if (!bytes.subarray(0, 4).equals(MAGIC)) throw new CheckpointError(file, 'not a ResNet Lab checkpoint (wrong magic bytes)');
  const storedCrc = bytes.readUInt32LE(bytes.length - 4);
  if ((crc32(bytes.subarray(0, bytes.length - 4)) >>> 0) !== storedCrc) throw new CheckpointError(file, 'checksum mismatch: the file is truncated or corrupted');
  const headerBytes = bytes.readUInt32LE(4);
  if (headerBytes > MAX_HEADER_BYTES || 8 + headerBytes > bytes.length - 4) throw new CheckpointError(file, 'header length is out of range');
  let header: unknown;
  try {
    header = JSON.parse(bytes.subarray(8, 8 + headerBytes).toString('utf8'));
  } catch {
    throw new CheckpointError(file, 'header is not valid JSON');
  }
  const payloadStart = 8 + headerBytes + ((4 - ((8 + headerBytes) % 4)) % 4);
  const payloadBytes = bytes.length - 4 - payloadStart;
  if (payloadBytes < 0 || payloadBytes % 4 !== 0) throw new CheckpointError(file, 'payload size is not a whole number of float32 values');
  const checked = checkHeader(file, header, payloadBytes / 4);
  // Copy into an aligned buffer: the payload's byte offset inside the file need not be a multiple of 4 in memory.
  const payload = new Float32Array(payloadBytes / 4);
  new Uint8Array(payload.buffer).set(bytes.subarray(payloadStart, payloadStart + payloadBytes));
  const tensors = new Map<string, NamedTensorData>();
  for (const entry of checked.tensors) {
    tensors.set(entry.name, { name: entry.name, shape: entry.shape, data: payload.subarray(entry.offset, entry.offset + elements(entry.shape)) });
  }
  return { header: checked, tensors };
}
