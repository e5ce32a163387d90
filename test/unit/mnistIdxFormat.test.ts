// The IDX parser on in-memory buffers: exact values out, and a precise plain-words error
// for every way a header or body can be wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIdxImages, parseIdxLabels } from '../../trainer/mnist/idxFormat';
import { MnistDataError } from '../../trainer/mnist/mnistDataError';

const source = { path: '/data/some-file-idx' };

function idxImages(count: number, pixel: (i: number) => number, rows = 28, cols = 28): Uint8Array {
  const body = count * rows * cols;
  const bytes = Buffer.alloc(16 + body);
  bytes.writeUInt32BE(2051, 0);
  bytes.writeUInt32BE(count, 4);
  bytes.writeUInt32BE(rows, 8);
  bytes.writeUInt32BE(cols, 12);
  for (let i = 0; i < body; i++) bytes[16 + i] = pixel(i);
  return new Uint8Array(bytes);
}

function idxLabels(labels: number[]): Uint8Array {
  const bytes = Buffer.alloc(8 + labels.length);
  bytes.writeUInt32BE(2049, 0);
  bytes.writeUInt32BE(labels.length, 4);
  labels.forEach((label, i) => (bytes[8 + i] = label));
  return new Uint8Array(bytes);
}

function assertMnistError(run: () => unknown, ...fragments: string[]): void {
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof MnistDataError, `expected MnistDataError, got ${String(err)}`);
    assert.equal(err.file, source.path);
    assert.ok(err.message.startsWith(`${source.path}: `), err.message);
    for (const fragment of fragments) assert.ok(err.message.includes(fragment), `"${err.message}" lacks "${fragment}"`);
    return true;
  });
}

test('parseIdxImages reads count, size and every pixel in file order', () => {
  const parsed = parseIdxImages(idxImages(3, (i) => (i * 7) % 256), source);
  assert.equal(parsed.count, 3);
  assert.equal(parsed.rows, 28);
  assert.equal(parsed.cols, 28);
  assert.equal(parsed.pixels.length, 3 * 784);
  assert.equal(parsed.pixels[0], 0);
  assert.equal(parsed.pixels[1], 7);
  assert.equal(parsed.pixels[784 * 2 + 5], ((784 * 2 + 5) * 7) % 256);
});

test('parseIdxImages accepts a file with zero images', () => {
  assert.equal(parseIdxImages(idxImages(0, () => 0), source).count, 0);
});

test('parseIdxLabels reads every label', () => {
  const parsed = parseIdxLabels(idxLabels([5, 0, 4, 1, 9]), source);
  assert.equal(parsed.count, 5);
  assert.deepEqual([...parsed.labels], [5, 0, 4, 1, 9]);
});

test('an empty file is named as empty', () => {
  assertMnistError(() => parseIdxImages(new Uint8Array(0), source), 'is empty (0 bytes)', 'image file');
  assertMnistError(() => parseIdxLabels(new Uint8Array(0), source), 'is empty (0 bytes)', 'label file');
});

test('a file shorter than the magic number is too short', () => {
  assertMnistError(() => parseIdxLabels(new Uint8Array([0, 0]), source), 'is only 2 bytes', 'too short');
});

test('a label file given as images says the files look swapped', () => {
  assertMnistError(
    () => parseIdxImages(idxLabels([1, 2, 3, 4, 5, 6, 7, 8, 9]), source),
    'wrong magic number 2049 (expected 2051 for an image file)',
    'swapped',
  );
});

test('an image file given as labels says the files look swapped', () => {
  assertMnistError(
    () => parseIdxLabels(idxImages(1, () => 0), source),
    'wrong magic number 2051 (expected 2049 for a label file)',
    'swapped',
  );
});

test('an unrelated magic number says it is not an IDX file', () => {
  // A zip archive handed over instead of the file inside it: starts with "PK\x03\x04".
  const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0]);
  assertMnistError(() => parseIdxLabels(zip, source), 'wrong magic number 1347093252 (expected 2049', 'not an MNIST IDX file');
});

test('an image header cut short is truncated', () => {
  assertMnistError(() => parseIdxImages(idxImages(1, () => 0).subarray(0, 10), source), 'truncated', 'needs 16 bytes', 'has 10');
});

test('images that are not 28×28 are rejected with their size', () => {
  assertMnistError(() => parseIdxImages(idxImages(2, () => 0, 32, 32), source), 'wrong image size 32×32', 'expected 28×28');
});

test('a truncated image body reports expected and actual size', () => {
  const bytes = idxImages(3, () => 1).subarray(0, 1000);
  assertMnistError(() => parseIdxImages(bytes, source), 'truncated — header says 3 images (2368 bytes) but the file has 1000 bytes');
});

test('trailing bytes after the last image are an error', () => {
  const whole = idxImages(2, () => 1);
  const padded = new Uint8Array(whole.length + 12);
  padded.set(whole);
  assertMnistError(
    () => parseIdxImages(padded, source),
    '12 unexpected trailing bytes after the last image',
    'header says 2 images (1584 bytes) but the file has 1596 bytes',
  );
});

test('truncated and padded label files are errors', () => {
  assertMnistError(() => parseIdxLabels(idxLabels([1, 2, 3]).subarray(0, 10), source), 'truncated — header says 3 labels (11 bytes) but the file has 10 bytes');
  const padded = new Uint8Array(12);
  padded.set(idxLabels([1, 2, 3]));
  assertMnistError(() => parseIdxLabels(padded, source), '1 unexpected trailing bytes after the last label');
});

test('a label outside 0–9 names its value and index', () => {
  assertMnistError(() => parseIdxLabels(idxLabels([0, 1, 2, 3, 4, 5, 6, 12, 9]), source), 'label 12 at index 7 is out of range 0–9');
});

test('sizes of decompressed data say so', () => {
  assertMnistError(
    () => parseIdxLabels(idxLabels([1, 2, 3]).subarray(0, 9), { ...source, gunzipped: true }),
    'but the file has 9 bytes after decompression',
  );
});
