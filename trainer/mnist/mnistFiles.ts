/**
 * Finds and reads the four standard MNIST files in a folder, each either plain or gzipped.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../../shared/errorMessage';
import { gunzipIfGzipped } from './gunzipIfGzipped';
import { MnistDataError } from './mnistDataError';

/** The file names of the original MNIST distribution. */
export const MNIST_FILE_NAMES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

export type MnistFileKey = keyof typeof MNIST_FILE_NAMES;

const FILE_KEYS = Object.keys(MNIST_FILE_NAMES) as MnistFileKey[];

export interface MnistFileBytes {
  /** The path that was read, `name` or `name.gz`. */
  path: string;
  /** The uncompressed IDX bytes. */
  bytes: Uint8Array;
  /** The file held gzip data and `bytes` is its decompressed content. */
  gunzipped: boolean;
}

/**
 * The path of each file in dataDir. The plain name wins when both `name` and `name.gz` exist:
 * it needs no decompression and is what the embedded copy and most unpacked mirrors use.
 * Every missing file is reported in one error, so a user fixes the folder in one go.
 */
export async function locateMnistFiles(dataDir: string): Promise<Record<MnistFileKey, string>> {
  if (!(await exists(dataDir))) {
    throw new MnistDataError(dataDir, 'MNIST data folder does not exist');
  }
  const located: Partial<Record<MnistFileKey, string>> = {};
  const missing: string[] = [];
  for (const key of FILE_KEYS) {
    const name = MNIST_FILE_NAMES[key];
    const candidates = [join(dataDir, name), join(dataDir, `${name}.gz`)];
    const found = await firstExisting(candidates);
    if (found === undefined) missing.push(`${name} or ${name}.gz`);
    else located[key] = found;
  }
  if (missing.length > 0) {
    throw new MnistDataError(dataDir, `MNIST file${missing.length > 1 ? 's' : ''} not found: looked for ${missing.join(', ')}`);
  }
  return located as Record<MnistFileKey, string>;
}

/** Reads one file and decompresses it if its content is gzip. */
export async function readMnistFile(path: string): Promise<MnistFileBytes> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (err) {
    const reason = errorMessage(err);
    throw new MnistDataError(path, `could not be read (${reason})`, { cause: err });
  }
  const { bytes, gunzipped } = await gunzipIfGzipped(raw, path);
  return { path, bytes, gunzipped };
}

/** Locates and reads all four files; fails on the first problem in a fixed file order. */
export async function readMnistFiles(dataDir: string): Promise<Record<MnistFileKey, MnistFileBytes>> {
  const paths = await locateMnistFiles(dataDir);
  // Read in parallel but report in a fixed order, so the same broken folder always gives the
  // same error, not whichever read happened to fail first.
  const settled = await Promise.allSettled(FILE_KEYS.map((key) => readMnistFile(paths[key])));
  const files: Partial<Record<MnistFileKey, MnistFileBytes>> = {};
  settled.forEach((result, i) => {
    if (result.status === 'rejected') throw result.reason;
    files[FILE_KEYS[i]] = result.value;
  });
  return files as Record<MnistFileKey, MnistFileBytes>;
}

async function firstExisting(paths: string[]): Promise<string | undefined> {
  for (const path of paths) {
    if (await exists(path)) return path;
  }
  return undefined;
}

/** Only "no such file" means absent; anything else (e.g. no permission) is reported as is. */
async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    const reason = errorMessage(err);
    throw new MnistDataError(path, `could not be checked (${reason})`, { cause: err });
  }
}
