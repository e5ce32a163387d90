/**
 * Parser for the IDX files MNIST ships in (http://yann.lecun.com/exdb/mnist/).
 *
 * Layout, all integers big-endian uint32:
 *   images: magic 2051, count, rows, cols, then count·rows·cols pixel bytes
 *   labels: magic 2049, count, then count label bytes
 *
 * The checks are strict on purpose: a file that is a byte too short or too long is a broken
 * download or the wrong file, and training on it would fail later in a far more confusing way.
 */
import { MnistDataError } from './mnistDataError';

export const IDX_IMAGE_MAGIC = 2051;
export const IDX_LABEL_MAGIC = 2049;
export const MNIST_IMAGE_SIDE = 28;
export const MNIST_PIXELS_PER_IMAGE = MNIST_IMAGE_SIDE * MNIST_IMAGE_SIDE;
export const MNIST_CLASS_COUNT = 10;

const IMAGE_HEADER_BYTES = 16;
const LABEL_HEADER_BYTES = 8;

/** Which file the bytes came from, so every error can name it. */
export interface IdxSource {
  path: string;
  /** The bytes are the decompressed content of a gzip file; sizes in messages say so. */
  gunzipped?: boolean;
}

export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** count × rows × cols bytes, a view into the input (no copy). */
  pixels: Uint8Array;
}

export interface IdxLabels {
  count: number;
  /** count bytes, a view into the input (no copy). */
  labels: Uint8Array;
}

export function parseIdxImages(bytes: Uint8Array, source: IdxSource): IdxImages {
  checkMagic(bytes, source, 'image');
  requireHeader(bytes, source, IMAGE_HEADER_BYTES, 'image');
  const count = readUint32(bytes, 4);
  const rows = readUint32(bytes, 8);
  const cols = readUint32(bytes, 12);
  if (rows !== MNIST_IMAGE_SIDE || cols !== MNIST_IMAGE_SIDE) {
    throw new MnistDataError(
      source.path,
      `wrong image size ${rows}×${cols} (expected ${MNIST_IMAGE_SIDE}×${MNIST_IMAGE_SIDE} MNIST digits)`,
    );
  }
  checkExactSize(bytes, source, IMAGE_HEADER_BYTES, count, MNIST_PIXELS_PER_IMAGE, 'image');
  return { count, rows, cols, pixels: bytes.subarray(IMAGE_HEADER_BYTES) };
}

export function parseIdxLabels(bytes: Uint8Array, source: IdxSource): IdxLabels {
  checkMagic(bytes, source, 'label');
  requireHeader(bytes, source, LABEL_HEADER_BYTES, 'label');
  const count = readUint32(bytes, 4);
  checkExactSize(bytes, source, LABEL_HEADER_BYTES, count, 1, 'label');
  const labels = bytes.subarray(LABEL_HEADER_BYTES);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= MNIST_CLASS_COUNT) {
      throw new MnistDataError(
        source.path,
        `label ${labels[i]} at index ${i} is out of range 0–${MNIST_CLASS_COUNT - 1}`,
      );
    }
  }
  return { count, labels };
}

type IdxKind = 'image' | 'label';

function checkMagic(bytes: Uint8Array, source: IdxSource, kind: IdxKind): void {
  if (bytes.length === 0) {
    throw new MnistDataError(source.path, `is empty (0 bytes) — expected an MNIST ${kind} file`);
  }
  if (bytes.length < 4) {
    throw new MnistDataError(
      source.path,
      `is only ${bytes.length} bytes${sizeNote(source)}, too short to be an MNIST ${kind} file`,
    );
  }
  const expected = kind === 'image' ? IDX_IMAGE_MAGIC : IDX_LABEL_MAGIC;
  const other = kind === 'image' ? IDX_LABEL_MAGIC : IDX_IMAGE_MAGIC;
  const magic = readUint32(bytes, 0);
  if (magic === expected) return;
  // The likeliest mix-up is handing over the other file of the pair, so say so outright.
  const hint =
    magic === other
      ? ` — this is a ${kind === 'image' ? 'label' : 'image'} file; are the image and label files swapped?`
      : ' — this is not an MNIST IDX file';
  throw new MnistDataError(
    source.path,
    `wrong magic number ${magic} (expected ${expected} for ${kind === 'image' ? 'an image' : 'a label'} file)${hint}`,
  );
}

function requireHeader(bytes: Uint8Array, source: IdxSource, headerBytes: number, kind: IdxKind): void {
  if (bytes.length < headerBytes) {
    throw new MnistDataError(
      source.path,
      `truncated — an MNIST ${kind} file header needs ${headerBytes} bytes but the file has ${bytes.length}${sizeNote(source)}`,
    );
  }
}

function checkExactSize(
  bytes: Uint8Array,
  source: IdxSource,
  headerBytes: number,
  count: number,
  itemBytes: number,
  kind: IdxKind,
): void {
  // count ≤ 2^32 and itemBytes = 784, so the product stays far inside exact double range.
  const expected = headerBytes + count * itemBytes;
  if (bytes.length === expected) return;
  const says = `header says ${count} ${kind}s (${expected} bytes) but the file has ${bytes.length} bytes${sizeNote(source)}`;
  if (bytes.length < expected) {
    throw new MnistDataError(source.path, `truncated — ${says}`);
  }
  throw new MnistDataError(
    source.path,
    `${bytes.length - expected} unexpected trailing bytes after the last ${kind} — ${says}`,
  );
}

function sizeNote(source: IdxSource): string {
  return source.gunzipped ? ' after decompression' : '';
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, false);
}
