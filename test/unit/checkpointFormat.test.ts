// The checkpoint file format and the store on disk: exact round trips, and for every way a file
// can be damaged a CheckpointError naming the file and the problem. node:fs and node:zlib only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import {
  CHECKPOINT_SCHEMA_VERSION, CheckpointError, decodeCheckpoint, encodeCheckpoint,
  type CheckpointHeader, type NamedTensorData,
} from '../../trainer/checkpoint/checkpointFormat';
import { LATEST_CHECKPOINT_FILE as LATEST_FILE, PREVIOUS_CHECKPOINT_FILE as PREVIOUS_FILE } from '../../shared/checkpointFiles';
import { CheckpointStore } from '../../trainer/checkpoint/checkpointStore';
import { resolveConfig } from '../../shared/trainingConfig';
import { tempDir } from '../support/paths';

const FILE = '/runs/test/checkpoint.rlck';

type HeaderInput = Omit<CheckpointHeader, 'tensors' | 'schemaVersion'>;

function header(step = 7): HeaderInput {
  return {
    savedAt: '2024-05-01T12:00:00.000Z',
    step,
    config: resolveConfig('default'),
    dataOrder: { epoch: 1, cursor: 5, epochRngState: 123 },
    adamIteration: step,
    trainSec: 1.5,
    history: { progress: [], evaluations: [] },
  };
}

// Distinct values, with negatives, a negative zero, a subnormal and extremes of float32.
const KERNEL = [0.5, -1.25, 3.1415927410125732, -0, 1e-38, -2.5e-40, 65504, -1e30];
const BIAS = [0.1, -0.000001];
const FC2_BIAS = [1.401298464324817e-45, -3.4028234663852886e38, 42];

function tensors(): NamedTensorData[] {
  return [
    { name: 'stem/conv/kernel', shape: [2, 2, 1, 2], data: Float32Array.from(KERNEL) },
    { name: 'stem/conv/bias', shape: [2], data: Float32Array.from(BIAS) },
    { name: 'fc2/dense/bias', shape: [3], data: Float32Array.from(FC2_BIAS) },
  ];
}

function encoded(step = 7): Buffer {
  return Buffer.concat([...encodeCheckpoint(header(step), tensors())]);
}

/** "RLCK" | u32 header length | header bytes | zero pad to 4 | payload | u32 CRC-32, built by hand. */
function handmade(headerText: string, payload: Buffer, magic = 'RLCK'): Buffer {
  const json = Buffer.from(headerText, 'utf8');
  const prefix = Buffer.alloc(8);
  prefix.write(magic, 0, 'ascii');
  prefix.writeUInt32LE(json.length, 4);
  const pad = Buffer.alloc((4 - ((8 + json.length) % 4)) % 4);
  return sealed(Buffer.concat([prefix, json, pad, payload]));
}

/** Appends a valid CRC-32, so a test reaches the checks that come after the checksum. */
function sealed(body: Buffer): Buffer {
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32LE(crc32(body) >>> 0, 0);
  return Buffer.concat([body, trailer]);
}

function validHeaderObject(): Record<string, unknown> {
  return { ...header(), schemaVersion: CHECKPOINT_SCHEMA_VERSION, tensors: [] };
}

function floats(values: number[]): Buffer {
  const data = Float32Array.from(values);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function assertCheckpointError(run: () => unknown, file: string, ...fragments: string[]): void {
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof CheckpointError, `expected CheckpointError, got ${String(err)}`);
    assert.equal(err.name, 'CheckpointError');
    assert.equal(err.file, file);
    assert.ok(err.message.startsWith(`${file}: `), err.message);
    for (const fragment of fragments) assert.ok(err.message.includes(fragment), `"${err.message}" lacks "${fragment}"`);
    return true;
  });
}

/** Runs a test body in a fresh folder that is removed afterwards, pass or fail. */
function withTempDir(body: (dir: string) => void): void {
  const dir = tempDir('checkpoint');
  try {
    body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- format ----

test('encode → decode round-trips the header fields', () => {
  const { header: decoded } = decodeCheckpoint(FILE, encoded());
  assert.equal(decoded.schemaVersion, CHECKPOINT_SCHEMA_VERSION);
  assert.equal(decoded.schemaVersion, 1);
  assert.equal(decoded.savedAt, '2024-05-01T12:00:00.000Z');
  assert.equal(decoded.step, 7);
  assert.deepEqual(decoded.config, resolveConfig('default'));
  assert.deepEqual(decoded.dataOrder, { epoch: 1, cursor: 5, epochRngState: 123 });
  assert.equal(decoded.adamIteration, 7);
  assert.equal(decoded.trainSec, 1.5);
  assert.deepEqual(decoded.history, { progress: [], evaluations: [] });
  assert.deepEqual(decoded.tensors, [
    { name: 'stem/conv/kernel', shape: [2, 2, 1, 2], offset: 0 },
    { name: 'stem/conv/bias', shape: [2], offset: 8 },
    { name: 'fc2/dense/bias', shape: [3], offset: 10 },
  ]);
});

test('encode → decode round-trips the exact float32 values', () => {
  const { tensors: decoded } = decodeCheckpoint(FILE, encoded());
  assert.deepEqual([...decoded.keys()], ['stem/conv/kernel', 'stem/conv/bias', 'fc2/dense/bias']);
  for (const original of tensors()) {
    const tensor = decoded.get(original.name);
    if (!tensor) throw new assert.AssertionError({ message: `missing ${original.name}` });
    assert.ok(tensor.data instanceof Float32Array);
    assert.deepEqual(tensor.shape, original.shape);
    assert.equal(tensor.name, original.name);
    // Object.is comparison: -0 stays -0, subnormals stay bit-exact.
    assert.deepEqual([...tensor.data], [...original.data]);
  }
  const kernel = decoded.get('stem/conv/kernel')!.data;
  assert.ok(Object.is(kernel[3], -0));
  assert.equal(kernel[1], -1.25);
  assert.equal(kernel[5], Math.fround(-2.5e-40));
  assert.ok(kernel[5]! < 0 && kernel[5]! > -1e-39);
  assert.equal(decoded.get('fc2/dense/bias')!.data[0], 1.401298464324817e-45);
});

test('the encoded layout is magic, header length, JSON, padding to 4, floats, CRC', () => {
  const chunks = [...encodeCheckpoint(header(), tensors())];
  const bytes = Buffer.concat(chunks);
  assert.equal(bytes.subarray(0, 4).toString('ascii'), 'RLCK');
  const headerLength = bytes.readUInt32LE(4);
  const payloadStart = 8 + headerLength + ((4 - ((8 + headerLength) % 4)) % 4);
  assert.equal(payloadStart % 4, 0);
  assert.equal(bytes.length, payloadStart + 13 * 4 + 4);
  assert.equal(bytes.readFloatLE(payloadStart + 4), -1.25);
  assert.equal(bytes.readUInt32LE(bytes.length - 4), crc32(bytes.subarray(0, bytes.length - 4)) >>> 0);
  assert.equal(JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')).step, 7);
});

test('a tensor that is a view into a larger buffer encodes only its own values', () => {
  const backing = Float32Array.from([99, 99, 1, 2, 3, 99]);
  const view = new Float32Array(backing.buffer, 2 * 4, 3);
  const bytes = Buffer.concat([...encodeCheckpoint(header(), [{ name: 'v', shape: [3], data: view }])]);
  assert.deepEqual([...decodeCheckpoint(FILE, bytes).tensors.get('v')!.data], [1, 2, 3]);
});

test('values given as functions are read one at a time, as their chunk comes, and encode as the arrays do', () => {
  const reads: string[] = [];
  const lazy = tensors().map((t) => ({ ...t, data: () => { reads.push(t.name); return t.data as Float32Array; } }));
  const chunks = encodeCheckpoint(header(), lazy);
  const encoded: Buffer[] = [];
  for (const chunk of chunks) {
    encoded.push(chunk);
    // Prefix, JSON and pad come first; then chunk k + 3 is tensor k, read just before it.
    assert.deepEqual(reads, lazy.slice(0, Math.max(0, Math.min(encoded.length - 3, lazy.length))).map((t) => t.name));
  }
  assert.deepEqual(Buffer.concat(encoded), Buffer.concat([...encodeCheckpoint(header(), tensors())]));
});

test('a checkpoint with no tensors round-trips', () => {
  const decoded = decodeCheckpoint(FILE, Buffer.concat([...encodeCheckpoint(header(3), [])]));
  assert.equal(decoded.header.step, 3);
  assert.equal(decoded.tensors.size, 0);
});

test('encoding refuses a tensor whose values do not fill its shape', () => {
  assert.throws(() => [...encodeCheckpoint(header(), [{ name: 'bad', shape: [2, 2], data: new Float32Array(3) }])], {
    message: 'bad: 3 values for shape 2×2',
  });
});

test('an empty buffer is a truncated file', () => {
  assertCheckpointError(() => decodeCheckpoint(FILE, Buffer.alloc(0)), FILE, 'file is truncated (0 bytes)');
});

test('a file missing its last byte fails the checksum', () => {
  const bytes = encoded();
  assertCheckpointError(() => decodeCheckpoint(FILE, bytes.subarray(0, bytes.length - 1)), FILE, 'checksum mismatch', 'truncated or corrupted');
});

test('one flipped payload byte fails the checksum', () => {
  const bytes = encoded();
  const flipped = Buffer.from(bytes);
  flipped[bytes.length - 4 - 6] ^= 0x01;
  assertCheckpointError(() => decodeCheckpoint(FILE, flipped), FILE, 'checksum mismatch: the file is truncated or corrupted');
});

test('one flipped CRC byte fails the checksum', () => {
  const flipped = Buffer.from(encoded());
  flipped[flipped.length - 1] ^= 0x80;
  assertCheckpointError(() => decodeCheckpoint(FILE, flipped), FILE, 'checksum mismatch');
});

test('wrong magic bytes are not a checkpoint', () => {
  const bytes = Buffer.from(encoded());
  bytes.write('RLCX', 0, 'ascii');
  assertCheckpointError(() => decodeCheckpoint(FILE, bytes), FILE, 'not a ResNet Lab checkpoint (wrong magic bytes)');
  assertCheckpointError(() => decodeCheckpoint(FILE, handmade('{}', Buffer.alloc(0), 'PK\x03\x04')), FILE, 'wrong magic bytes');
});

test('a header that is not JSON is named as such (CRC valid)', () => {
  assertCheckpointError(() => decodeCheckpoint(FILE, handmade('{"step": 7, garbage', Buffer.alloc(0))), FILE, 'header is not valid JSON');
});

test('a header that is JSON but not an object is refused', () => {
  assertCheckpointError(() => decodeCheckpoint(FILE, handmade('[1,2,3]', Buffer.alloc(0))), FILE, 'header is not an object');
});

test('a header length beyond the file is out of range (CRC valid)', () => {
  const body = Buffer.alloc(16);
  body.write('RLCK', 0, 'ascii');
  body.writeUInt32LE(1000, 4);
  assertCheckpointError(() => decodeCheckpoint(FILE, sealed(body)), FILE, 'header length is out of range');
});

test('schema version 99 is not supported (CRC valid)', () => {
  const text = JSON.stringify({ ...validHeaderObject(), schemaVersion: 99 });
  assertCheckpointError(() => decodeCheckpoint(FILE, handmade(text, Buffer.alloc(0))), FILE, 'schema version 99 is not supported (this version reads 1)');
});

test('the hand-built checkpoint is itself valid, so the corruptions below test one thing each', () => {
  const text = JSON.stringify({ ...validHeaderObject(), tensors: [{ name: 'a', shape: [2], offset: 0 }, { name: 'b', shape: [2], offset: 2 }] });
  const decoded = decodeCheckpoint(FILE, handmade(text, floats([1, 2, 3, 4])));
  assert.deepEqual([...decoded.tensors.get('b')!.data], [3, 4]);
});

test('a gap in the tensor table offsets is refused naming the tensor', () => {
  const text = JSON.stringify({ ...validHeaderObject(), tensors: [{ name: 'a', shape: [2], offset: 0 }, { name: 'b', shape: [2], offset: 3 }] });
  assertCheckpointError(() => decodeCheckpoint(FILE, handmade(text, floats([1, 2, 3, 4, 5]))), FILE, 'tensor b is at offset 3, expected 2');
});

test('a payload larger or smaller than the tensor table is refused with both counts', () => {
  const text = JSON.stringify({ ...validHeaderObject(), tensors: [{ name: 'a', shape: [2], offset: 0 }, { name: 'b', shape: [2], offset: 2 }] });
  assertCheckpointError(() => decodeCheckpoint(FILE, handmade(text, floats([1, 2, 3, 4, 5]))), FILE, 'tensor table describes 4 values but the file holds 5');
  assertCheckpointError(() => decodeCheckpoint(FILE, handmade(text, floats([1, 2, 3]))), FILE, 'tensor table describes 4 values but the file holds 3');
});

test('a payload that is not whole float32 values is refused', () => {
  const text = JSON.stringify(validHeaderObject());
  assertCheckpointError(() => decodeCheckpoint(FILE, handmade(text, Buffer.alloc(6))), FILE, 'payload size is not a whole number of float32 values');
});

test('an invalid tensor table entry is refused', () => {
  const text = JSON.stringify({ ...validHeaderObject(), tensors: [{ name: 'a', shape: [0], offset: 0 }] });
  assertCheckpointError(() => decodeCheckpoint(FILE, handmade(text, Buffer.alloc(0))), FILE, 'tensor table entry is invalid');
});

test('an invalid config, data order or step in the header is refused', () => {
  const badConfig = JSON.stringify({ ...validHeaderObject(), config: { ...resolveConfig('default'), steps: 0 } });
  assertCheckpointError(() => decodeCheckpoint(FILE, handmade(badConfig, Buffer.alloc(0))), FILE, 'config is invalid: steps must be at least 1');
  const badOrder = JSON.stringify({ ...validHeaderObject(), dataOrder: { epoch: 1, cursor: -5, epochRngState: 123 } });
  assertCheckpointError(() => decodeCheckpoint(FILE, handmade(badOrder, Buffer.alloc(0))), FILE, 'data-order state is invalid');
  const badStep = JSON.stringify({ ...validHeaderObject(), step: 1.5 });
  assertCheckpointError(() => decodeCheckpoint(FILE, handmade(badStep, Buffer.alloc(0))), FILE, 'step is not a whole number');
  const badExecution = JSON.stringify({ ...validHeaderObject(), execution: 'xla' });
  assertCheckpointError(() => decodeCheckpoint(FILE, handmade(badExecution, Buffer.alloc(0))), FILE, 'execution mode is invalid');
  // Checkpoints from before the graph engine have no execution field and still load.
  const { execution: _absent, ...older } = validHeaderObject();
  assert.equal(decodeCheckpoint(FILE, handmade(JSON.stringify(older), Buffer.alloc(0))).header.execution, undefined);
});

test('a checkpoint from before the learning-rate levers loads as one constant rate with TensorFlow\'s ε; a bad lever is refused', () => {
  const { lrSchedule: _s, warmupSteps: _w, lrFloor: _f, denseLrScale: _d, adamEpsilon: _e, labelSmoothing: _l, ...olderConfig } = resolveConfig('default', { learningRate: 5e-4 });
  const loaded = decodeCheckpoint(FILE, handmade(JSON.stringify({ ...validHeaderObject(), config: olderConfig }), Buffer.alloc(0)));
  assert.deepEqual(loaded.header.config, { ...olderConfig, lrSchedule: 'constant', warmupSteps: 0, lrFloor: 0, denseLrScale: 1, adamEpsilon: 1e-8, labelSmoothing: 0 });
  // A newer checkpoint keeps its own levers.
  const scheduled = resolveConfig('default', { lrSchedule: 'cosine', warmupSteps: 100, denseLrScale: 0.1 });
  assert.deepEqual(decodeCheckpoint(FILE, handmade(JSON.stringify({ ...validHeaderObject(), config: scheduled }), Buffer.alloc(0))).header.config, scheduled);
  const badLever = JSON.stringify({ ...validHeaderObject(), config: { ...scheduled, lrSchedule: 'step' } });
  assertCheckpointError(() => decodeCheckpoint(FILE, handmade(badLever, Buffer.alloc(0))), FILE, 'config is invalid: lrSchedule must be one of constant, cosine');
});

// ---- store ----

test('saving twice keeps the newest as latest and the one before as previous; no temporaries remain', () => withTempDir((dir) => {
  const store = new CheckpointStore(path.join(dir, 'run'));
  assert.equal(store.hasCheckpoint(), false);
  const bytes1 = store.save(header(1), tensors());
  assert.equal(bytes1, fs.statSync(store.latestPath).size);
  assert.equal(bytes1, encoded(1).length);
  store.save(header(2), tensors());

  assert.equal(store.hasCheckpoint(), true);
  assert.deepEqual(fs.readdirSync(store.dir).sort(), [PREVIOUS_FILE, LATEST_FILE].sort());
  assert.equal(store.latestPath, path.join(dir, 'run', 'checkpoint.rlck'));
  assert.equal(store.previousPath, path.join(dir, 'run', 'checkpoint.prev.rlck'));

  const loaded = store.load();
  assert.ok(loaded);
  assert.equal(loaded.header.step, 2);
  assert.equal(loaded.path, store.latestPath);
  assert.equal(loaded.warning, undefined);
  assert.deepEqual([...loaded.tensors.get('stem/conv/kernel')!.data], [...Float32Array.from(KERNEL)]);

  assert.equal(decodeCheckpoint(store.previousPath, fs.readFileSync(store.previousPath)).header.step, 1);
  assert.deepEqual(fs.readdirSync(store.dir).filter((name) => name.includes('.tmp-')), []);
}));

test('a full disk during a save throws one clear line, keeps the last checkpoint and leaves no temporary file', () => withTempDir((dir) => {
  const store = new CheckpointStore(dir);
  store.save(header(1), tensors());
  // The kernel's own ENOSPC: the temporary file the store is about to open is /dev/full.
  fs.symlinkSync('/dev/full', `${store.latestPath}.tmp-${process.pid}`);
  assert.throws(() => store.save(header(2), tensors()), (error: Error) => {
    assert.equal(error.message, `Could not save a checkpoint in ${dir}: the disk is full (ENOSPC); free some space, then resume. The checkpoint saved before is kept.`);
    return true;
  });
  assert.deepEqual(fs.readdirSync(dir), [LATEST_FILE]);
  assert.equal(store.load()!.header.step, 1);
  // Once there is room again, saving works and the kept checkpoint becomes the previous one.
  store.save(header(2), tensors());
  assert.equal(store.load()!.header.step, 2);
  assert.equal(decodeCheckpoint(store.previousPath, fs.readFileSync(store.previousPath)).header.step, 1);
}));

test('a checkpoint folder that cannot be created gives one clear line naming it', () => withTempDir((dir) => {
  const blocker = path.join(dir, 'a-file');
  fs.writeFileSync(blocker, '');
  const store = new CheckpointStore(path.join(blocker, 'run'));
  assert.throws(() => store.save(header(1), tensors()), (error: Error) => {
    assert.ok(error.message.startsWith(`Could not save a checkpoint in ${store.dir}: ENOTDIR`), error.message);
    assert.doesNotMatch(error.message, /kept/);
    return true;
  });
}));

test('a truncated latest falls back to the previous with a warning naming the problem and step 1', () => withTempDir((dir) => {
  const store = new CheckpointStore(dir);
  store.save(header(1), tensors());
  store.save(header(2), tensors());
  fs.truncateSync(store.latestPath, fs.statSync(store.latestPath).size - 10);

  const loaded = store.load();
  assert.ok(loaded);
  assert.equal(loaded.header.step, 1);
  assert.equal(loaded.path, store.previousPath);
  assert.equal(
    loaded.warning,
    `The latest checkpoint is unusable (${store.latestPath}: checksum mismatch: the file is truncated or corrupted); resumed from the previous one at step 1.`,
  );
  assert.ok(loaded.warning?.includes('unusable'));
  assert.ok(loaded.warning?.includes('step 1'));
}));

test('a save after falling back keeps the good previous checkpoint instead of the corrupt latest', () => withTempDir((dir) => {
  const store = new CheckpointStore(dir);
  store.save(header(1), tensors());
  store.save(header(2), tensors());
  fs.truncateSync(store.latestPath, 10);
  const reopened = new CheckpointStore(dir);
  assert.equal(reopened.load()!.header.step, 1);
  reopened.save(header(3), tensors());
  assert.equal(reopened.load()!.header.step, 3);
  assert.equal(decodeCheckpoint(store.previousPath, fs.readFileSync(store.previousPath)).header.step, 1);
  // A fresh store that never loaded checks the latest before demoting it, too.
  fs.truncateSync(store.latestPath, 10);
  new CheckpointStore(dir).save(header(4), tensors());
  assert.equal(decodeCheckpoint(store.previousPath, fs.readFileSync(store.previousPath)).header.step, 1);
}));

test('when latest and previous are both corrupt, the error names both problems', () => withTempDir((dir) => {
  const store = new CheckpointStore(dir);
  store.save(header(1), tensors());
  store.save(header(2), tensors());
  fs.truncateSync(store.latestPath, 10);
  fs.writeFileSync(store.previousPath, 'not a checkpoint at all');
  assert.throws(() => store.load(), (error: unknown) => {
    assert.ok(error instanceof CheckpointError);
    assert.match(error.message, /no usable checkpoint/);
    assert.ok(error.message.includes(`${store.latestPath}: file is truncated (10 bytes)`));
    assert.ok(error.message.includes(`${store.previousPath}: not a ResNet Lab checkpoint`));
    return true;
  });
}));

test('clear removes both checkpoints and temporaries, so a fresh run cannot fall back to an old one', () => withTempDir((dir) => {
  const store = new CheckpointStore(dir);
  store.save(header(1), tensors());
  store.save(header(2), tensors());
  fs.writeFileSync(path.join(dir, 'checkpoint.rlck.tmp-99'), 'x');
  store.clear();
  assert.equal(store.hasCheckpoint(), false);
  assert.deepEqual(fs.readdirSync(dir), []);
}));

test('with neither file there is nothing to load', () => withTempDir((dir) => {
  const store = new CheckpointStore(dir);
  assert.equal(store.load(), null);
  assert.equal(new CheckpointStore(path.join(dir, 'never-created')).load(), null);
}));

test('only a corrupt latest and no previous: load throws the latest\'s CheckpointError', () => withTempDir((dir) => {
  const store = new CheckpointStore(dir);
  store.save(header(1), tensors());
  fs.truncateSync(store.latestPath, 5);
  assert.equal(fs.existsSync(store.previousPath), false);
  assertCheckpointError(() => store.load(), store.latestPath, 'file is truncated (5 bytes)');
}));

test('a latest that cannot be read and no previous: load throws naming the read error', () => withTempDir((dir) => {
  const store = new CheckpointStore(dir);
  fs.mkdirSync(store.latestPath);
  assertCheckpointError(() => store.load(), store.latestPath, 'cannot be read (EISDIR)');
}));

test('only a previous file: it is loaded without a warning', () => withTempDir((dir) => {
  const store = new CheckpointStore(dir);
  store.save(header(1), tensors());
  store.save(header(2), tensors());
  fs.rmSync(store.latestPath);
  const loaded = store.load();
  assert.ok(loaded);
  assert.equal(loaded.header.step, 1);
  assert.equal(loaded.path, store.previousPath);
  assert.equal('warning' in loaded, false);
}));

test('cleanTemporaries removes stale temporary files and nothing else', () => withTempDir((dir) => {
  const store = new CheckpointStore(dir);
  store.save(header(1), tensors());
  fs.writeFileSync(path.join(dir, 'checkpoint.rlck.tmp-123'), 'half a checkpoint');
  fs.writeFileSync(path.join(dir, 'checkpoint.prev.rlck.tmp-456'), 'half a link');
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'keep me');
  store.cleanTemporaries();
  assert.deepEqual(fs.readdirSync(dir).sort(), [LATEST_FILE, 'notes.txt'].sort());
  assert.equal(store.load()?.header.step, 1);
}));

test('cleanTemporaries on a folder that does not exist creates nothing', () => withTempDir((dir) => {
  const missing = path.join(dir, 'missing');
  new CheckpointStore(missing).cleanTemporaries();
  assert.equal(fs.existsSync(missing), false);
}));

test('a save over a stale temporary of this process still leaves no temporaries', () => withTempDir((dir) => {
  const store = new CheckpointStore(dir);
  fs.writeFileSync(`${store.latestPath}.tmp-${process.pid}`, 'stale');
  store.save(header(4), tensors());
  assert.deepEqual(fs.readdirSync(dir), [LATEST_FILE]);
  assert.equal(store.load()?.header.step, 4);
}));

test('no TensorFlow module was loaded by the checkpoint code', () => {
  assert.deepEqual(Object.keys(require.cache).filter((k) => k.includes('@tensorflow')), []);
});
