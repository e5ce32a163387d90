// loadMnist on tiny synthetic MNIST folders written to a temp dir: the split, plain vs gzip,
// and one test per way a folder of files can be broken.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadMnist, type LoadMnistOptions } from '../../trainer/mnist/loadMnist';
import { MnistDataError } from '../../trainer/mnist/mnistDataError';
import { MNIST_FILE_NAMES, type MnistFileKey } from '../../trainer/mnist/mnistFiles';

// Tiny stand-in for MNIST: 10 training-file images (first 3 = validation), 4 test images.
const TRAIN_COUNT = 10;
const TEST_COUNT = 4;
const VALIDATION_COUNT = 3;
const tinyOptions = (dataDir: string): LoadMnistOptions => ({
  dataDir,
  expectedCounts: { train: TRAIN_COUNT, test: TEST_COUNT },
  validationCount: VALIDATION_COUNT,
});

// Every image gets distinct pixels (sweeping 0..255) so a wrong offset shows up as wrong values.
const trainPixel = (image: number, p: number): number => (image * 37 + p) % 256;
const testPixel = (image: number, p: number): number => (image * 53 + p * 3 + 1) % 256;
const trainLabel = (i: number): number => (i * 3) % 10;
const testLabel = (i: number): number => (9 - i) % 10;

function idxImages(count: number, pixel: (image: number, p: number) => number, side = 28): Buffer {
  const bytes = Buffer.alloc(16 + count * side * side);
  bytes.writeUInt32BE(2051, 0);
  bytes.writeUInt32BE(count, 4);
  bytes.writeUInt32BE(side, 8);
  bytes.writeUInt32BE(side, 12);
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < side * side; p++) bytes[16 + i * side * side + p] = pixel(i, p);
  }
  return bytes;
}

function idxLabels(labels: number[]): Buffer {
  const bytes = Buffer.alloc(8 + labels.length);
  bytes.writeUInt32BE(2049, 0);
  bytes.writeUInt32BE(labels.length, 4);
  labels.forEach((label, i) => (bytes[8 + i] = label));
  return bytes;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

function validFiles(): Record<MnistFileKey, Buffer> {
  return {
    trainImages: idxImages(TRAIN_COUNT, trainPixel),
    trainLabels: idxLabels(range(TRAIN_COUNT).map(trainLabel)),
    testImages: idxImages(TEST_COUNT, testPixel),
    testLabels: idxLabels(range(TEST_COUNT).map(testLabel)),
  };
}

let root: string;
let folderCount = 0;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'mnist-loader-test-'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

/**
 * Writes a fresh folder of the four files. `gzip` picks which are written as name.gz;
 * `replace` swaps in other content for a file (written as-is under its chosen name).
 */
async function writeFolder(
  options: { gzip?: MnistFileKey[] | 'all'; replace?: Partial<Record<MnistFileKey, Buffer>> } = {},
): Promise<string> {
  const dir = join(root, `folder-${folderCount++}`);
  await mkdir(dir);
  const files = { ...validFiles(), ...options.replace };
  for (const key of Object.keys(files) as MnistFileKey[]) {
    const gz = options.gzip === 'all' || (options.gzip ?? []).includes(key);
    const replaced = options.replace?.[key] !== undefined;
    const content = gz && !replaced ? gzipSync(files[key]) : files[key];
    await writeFile(join(dir, MNIST_FILE_NAMES[key] + (gz ? '.gz' : '')), content);
  }
  return dir;
}

async function assertMnistError(promise: Promise<unknown>, file: string, ...fragments: string[]): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof MnistDataError, `expected MnistDataError, got ${String(err)}`);
    assert.equal(err.file, file);
    assert.ok(err.message.startsWith(`${file}: `), `"${err.message}" does not start with the file`);
    for (const fragment of fragments) assert.ok(err.message.includes(fragment), `"${err.message}" lacks "${fragment}"`);
    return true;
  });
}

function expectedImages(indices: number[], pixel: (image: number, p: number) => number): Uint8Array {
  const out = new Uint8Array(indices.length * 784);
  indices.forEach((image, k) => {
    for (let p = 0; p < 784; p++) out[k * 784 + p] = pixel(image, p);
  });
  return out;
}

test('splits the training file: first images are validation, the rest training; t10k is test', async () => {
  const dir = await writeFolder();
  const data = await loadMnist(tinyOptions(dir));

  assert.equal(data.validation.count, VALIDATION_COUNT);
  assert.deepEqual(data.validation.labels, new Uint8Array(range(VALIDATION_COUNT).map(trainLabel)));
  assert.deepEqual(data.validation.images, expectedImages(range(VALIDATION_COUNT), trainPixel));

  const trainIndices = range(TRAIN_COUNT).slice(VALIDATION_COUNT);
  assert.equal(data.train.count, TRAIN_COUNT - VALIDATION_COUNT);
  assert.deepEqual(data.train.labels, new Uint8Array(trainIndices.map(trainLabel)));
  assert.deepEqual(data.train.images, expectedImages(trainIndices, trainPixel));

  assert.equal(data.test.count, TEST_COUNT);
  assert.deepEqual(data.test.labels, new Uint8Array(range(TEST_COUNT).map(testLabel)));
  assert.deepEqual(data.test.images, expectedImages(range(TEST_COUNT), testPixel));

  assert.deepEqual(data.source, {
    dataDir: dir,
    embedded: false,
    files: {
      trainImages: join(dir, 'train-images-idx3-ubyte'),
      trainLabels: join(dir, 'train-labels-idx1-ubyte'),
      testImages: join(dir, 't10k-images-idx3-ubyte'),
      testLabels: join(dir, 't10k-labels-idx1-ubyte'),
    },
  });
});

test('splits are plain Uint8Arrays that own their memory', async () => {
  const data = await loadMnist(tinyOptions(await writeFolder()));
  for (const split of [data.train, data.validation, data.test]) {
    for (const array of [split.images, split.labels]) {
      assert.equal(Object.getPrototypeOf(array), Uint8Array.prototype);
      assert.equal(array.byteOffset, 0);
      assert.equal(array.buffer.byteLength, array.byteLength);
    }
  }
});

test('gzipped and plain folders load identically', async () => {
  const plain = await loadMnist(tinyOptions(await writeFolder()));
  const gzDir = await writeFolder({ gzip: 'all' });
  const gz = await loadMnist(tinyOptions(gzDir));
  assert.deepEqual(gz.train, plain.train);
  assert.deepEqual(gz.validation, plain.validation);
  assert.deepEqual(gz.test, plain.test);
  assert.equal(gz.source.files.trainImages, join(gzDir, 'train-images-idx3-ubyte.gz'));
});

test('gzip is detected by content, not by file name', async () => {
  const files = validFiles();
  // Gzip data under the plain name, and plain data under the .gz name.
  const dir = await writeFolder({ gzip: ['testLabels'], replace: { trainImages: gzipSync(files.trainImages), testLabels: files.testLabels } });
  const data = await loadMnist(tinyOptions(dir));
  assert.deepEqual(data.train.images, expectedImages(range(TRAIN_COUNT).slice(VALIDATION_COUNT), trainPixel));
  assert.deepEqual(data.test.labels, new Uint8Array(range(TEST_COUNT).map(testLabel)));
});

test('the plain file wins when both name and name.gz exist', async () => {
  const dir = await writeFolder();
  await writeFile(join(dir, 'train-labels-idx1-ubyte.gz'), Buffer.from('not even gzip'));
  const data = await loadMnist(tinyOptions(dir));
  assert.equal(data.source.files.trainLabels, join(dir, 'train-labels-idx1-ubyte'));
});

test('the default expected counts are standard MNIST sizes', async () => {
  const dir = await writeFolder();
  await assertMnistError(
    loadMnist({ dataDir: dir }),
    join(dir, 'train-images-idx3-ubyte'),
    'has 10 images but the MNIST training set has 60000',
    '55000/5000 train/validation split',
  );
});

test('a test file of the wrong size is rejected too', async () => {
  const dir = await writeFolder();
  await assertMnistError(
    loadMnist({ ...tinyOptions(dir), expectedCounts: { train: TRAIN_COUNT, test: 5 } }),
    join(dir, 't10k-images-idx3-ubyte'),
    'has 4 images but the MNIST test set has 5',
  );
});

test('missing files are all named, with both names looked for', async () => {
  const dir = await writeFolder();
  await unlink(join(dir, 'train-labels-idx1-ubyte'));
  await unlink(join(dir, 't10k-images-idx3-ubyte'));
  await assertMnistError(
    loadMnist(tinyOptions(dir)),
    dir,
    'MNIST files not found',
    'train-labels-idx1-ubyte or train-labels-idx1-ubyte.gz',
    't10k-images-idx3-ubyte or t10k-images-idx3-ubyte.gz',
  );
});

test('a missing data folder is named', async () => {
  const dir = join(root, 'no-such-folder');
  await assertMnistError(loadMnist(tinyOptions(dir)), dir, 'MNIST data folder does not exist');
});

test('truncated images', async () => {
  const dir = await writeFolder({ replace: { trainImages: validFiles().trainImages.subarray(0, 1000) } });
  await assertMnistError(
    loadMnist(tinyOptions(dir)),
    join(dir, 'train-images-idx3-ubyte'),
    'truncated — header says 10 images (7856 bytes) but the file has 1000 bytes',
  );
});

test('trailing bytes after the images', async () => {
  const padded = Buffer.concat([validFiles().testImages, Buffer.from([1, 2, 3])]);
  const dir = await writeFolder({ replace: { testImages: padded } });
  await assertMnistError(
    loadMnist(tinyOptions(dir)),
    join(dir, 't10k-images-idx3-ubyte'),
    '3 unexpected trailing bytes after the last image',
  );
});

test('swapped image and label files give a wrong magic number', async () => {
  const files = validFiles();
  const dir = await writeFolder({ replace: { testImages: files.testLabels, testLabels: files.testImages } });
  await assertMnistError(
    loadMnist(tinyOptions(dir)),
    join(dir, 't10k-images-idx3-ubyte'),
    'wrong magic number 2049 (expected 2051 for an image file)',
    'swapped',
  );
});

test('a label file holding images gives a wrong magic number', async () => {
  const gzDir = await writeFolder({ gzip: ['testLabels'], replace: { testLabels: gzipSync(validFiles().testImages) } });
  await assertMnistError(
    loadMnist(tinyOptions(gzDir)),
    join(gzDir, 't10k-labels-idx1-ubyte.gz'),
    'wrong magic number 2051 (expected 2049 for a label file)',
  );
});

test('32×32 images are rejected', async () => {
  const dir = await writeFolder({ replace: { trainImages: idxImages(TRAIN_COUNT, trainPixel, 32) } });
  await assertMnistError(
    loadMnist(tinyOptions(dir)),
    join(dir, 'train-images-idx3-ubyte'),
    'wrong image size 32×32 (expected 28×28',
  );
});

test('image and label counts must match', async () => {
  const dir = await writeFolder({ replace: { trainLabels: idxLabels(range(TRAIN_COUNT - 1).map(trainLabel)) } });
  await assertMnistError(
    loadMnist(tinyOptions(dir)),
    join(dir, 'train-labels-idx1-ubyte'),
    `has 9 labels but ${join(dir, 'train-images-idx3-ubyte')} has 10 images`,
  );
});

test('a label out of range names its value and index', async () => {
  const labels = range(TRAIN_COUNT).map(trainLabel);
  labels[7] = 12;
  const dir = await writeFolder({ replace: { trainLabels: idxLabels(labels) } });
  await assertMnistError(
    loadMnist(tinyOptions(dir)),
    join(dir, 'train-labels-idx1-ubyte'),
    'label 12 at index 7 is out of range 0–9',
  );
});

test('a cut-off gzip file is reported as corrupt', async () => {
  const gz = gzipSync(validFiles().trainImages);
  const dir = await writeFolder({ gzip: ['trainImages'], replace: { trainImages: gz.subarray(0, Math.floor(gz.length / 2)) } });
  await assertMnistError(
    loadMnist(tinyOptions(dir)),
    join(dir, 'train-images-idx3-ubyte.gz'),
    'gzip data is corrupt or incomplete',
    'download it again',
  );
});

test('a gzip file with garbled data is reported as corrupt', async () => {
  const gz = Buffer.from(gzipSync(validFiles().trainLabels));
  // Keep the 10-byte gzip header so the content is still detected as gzip; ruin the rest.
  gz.fill(0xff, 10);
  const dir = await writeFolder({ gzip: ['trainLabels'], replace: { trainLabels: gz } });
  await assertMnistError(loadMnist(tinyOptions(dir)), join(dir, 'train-labels-idx1-ubyte.gz'), 'gzip data is corrupt or incomplete');
});

test('an empty file', async () => {
  const dir = await writeFolder({ replace: { testLabels: Buffer.alloc(0) } });
  await assertMnistError(loadMnist(tinyOptions(dir)), join(dir, 't10k-labels-idx1-ubyte'), 'is empty (0 bytes)');
});

test('a file that cannot be read is named with the reason', async () => {
  const dir = await writeFolder();
  // A folder where a file should be: it exists but cannot be read as a file.
  await unlink(join(dir, 'train-labels-idx1-ubyte'));
  await mkdir(join(dir, 'train-labels-idx1-ubyte'));
  await assertMnistError(loadMnist(tinyOptions(dir)), join(dir, 'train-labels-idx1-ubyte'), 'could not be read', 'EISDIR');
});

test('an impossible validation size is a RangeError before any file is read', async () => {
  await assert.rejects(loadMnist({ ...tinyOptions(join(root, 'unused')), validationCount: TRAIN_COUNT }), RangeError);
  await assert.rejects(loadMnist({ ...tinyOptions(join(root, 'unused')), validationCount: 1.5 }), RangeError);
});
