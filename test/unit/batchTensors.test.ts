// Batches made from MNIST's raw bytes against the way they were made before: the whole split as
// one float32 tensor (bytes / 255) and a gather per batch. Training results depend on every bit
// of every pixel, so the two must agree exactly, on real MNIST and on all 256 byte values.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadBackend } from '../../trainer/backend/loadBackend';
import { exampleRange, imageBatch, labelBatch, oneHotBatch, PIXEL_VALUE, targetBatch } from '../../trainer/data/batchTensors';
import { initialDataOrder, TrainingBatches } from '../../trainer/data/trainingBatches';
import type { MnistDataset, MnistSplit } from '../../trainer/mnist';
import { smallMnist } from '../support/smallMnist';

let dataset: MnistDataset;
before(async () => {
  await loadBackend('tensorflow');
  dataset = await smallMnist();
});

/** The former representation: every pixel of the split as float32, on the backend. */
function wholeSplitAsFloat(split: MnistSplit): tf.Tensor4D {
  const pixels = new Float32Array(split.images.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = split.images[i]! / 255;
  return tf.tensor4d(pixels, [split.count, 28, 28, 1]);
}

const bits = (t: tf.Tensor) => new Uint32Array((t.dataSync() as Float32Array).slice().buffer);

test('each of the 256 byte values scales to the float32 that b / 255 stored as float32 gives', () => {
  for (let b = 0; b < 256; b++) assert.equal(PIXEL_VALUE[b], Math.fround(b / 255), `byte ${b}`);
  assert.equal(PIXEL_VALUE[0], 0);
  assert.equal(PIXEL_VALUE[255], 1);
});

test('every byte value comes out of a batch as PIXEL_VALUE[byte], bit for bit, and labels as int32 digits', () => {
  // Two images whose 1,568 pixels run through all 256 byte values six times, in two orders.
  const images = Uint8Array.from({ length: 2 * 784 }, (_, i) => (i < 784 ? i % 256 : (255 - (i % 256))));
  const split: MnistSplit = { images, labels: Uint8Array.from([9, 0]), count: 2 };
  const batch = imageBatch(split, [1, 0, 1]);
  const expected = Float32Array.from([...images.subarray(784), ...images.subarray(0, 784), ...images.subarray(784)], (b) => PIXEL_VALUE[b]!);
  assert.equal(batch.dtype, 'float32');
  assert.deepEqual(batch.shape, [3, 28, 28, 1]);
  assert.deepEqual(bits(batch), new Uint32Array(expected.buffer));
  const labels = labelBatch(split, [1, 0, 1]);
  assert.equal(labels.dtype, 'int32');
  assert.deepEqual(Array.from(labels.dataSync()), [0, 9, 0]);
  tf.dispose([batch, labels]);
});

test('training batches are bit-for-bit the gather from the whole split as float32, across an epoch boundary', () => {
  const split = dataset.train;
  const whole = wholeSplitAsFloat(split);
  const labels = tf.tensor1d(Int32Array.from(split.labels), 'int32');
  const batches = new TrainingBatches(split, initialDataOrder(7));
  const oracle = new TrainingBatches(split, initialDataOrder(7));
  const batchSize = 64;
  // 2000 examples: batch 32 of 64 crosses into the second epoch.
  for (let n = 0; n < 40; n++) {
    const batch = batches.next(batchSize);
    const indices = oracle.nextIndices(batchSize);
    const [images, oneHot] = tf.tidy(() => {
      const idx = tf.tensor1d(indices, 'int32');
      return [tf.gather(whole, idx), tf.cast(tf.oneHot(tf.gather(labels, idx), 10), 'float32')];
    });
    assert.deepEqual(batch.images.shape, [batchSize, 28, 28, 1]);
    assert.deepEqual(bits(batch.images), bits(images!), `batch ${n}: images`);
    assert.deepEqual(Array.from(batch.oneHotLabels.dataSync()), Array.from(oneHot!.dataSync()), `batch ${n}: labels`);
    tf.dispose([batch.images, batch.oneHotLabels, images!, oneHot!]);
  }
  assert.equal(batches.state.epoch, 1);
  tf.dispose([whole, labels]);
});

test('label smoothing gives (1 − ε) × one-hot + ε/10 targets whose argmax is still the label; ε = 0 gives the one-hot labels', () => {
  const split = dataset.train;
  const indices = [0, 1, 2, 3];
  const labels = Array.from(labelBatch(split, indices).dataSync());
  const plain = new TrainingBatches(split, initialDataOrder(3));
  const smoothed = new TrainingBatches(split, initialDataOrder(3), 0.1);
  const a = plain.next(8);
  const b = smoothed.next(8);
  const oneHot = Array.from(a.oneHotLabels.dataSync());
  const targets = Array.from(b.oneHotLabels.dataSync());
  assert.deepEqual(bits(a.images), bits(b.images), 'smoothing leaves the images and the order alone');
  for (let i = 0; i < oneHot.length; i++) {
    assert.ok(Math.abs(targets[i]! - (oneHot[i] === 1 ? 0.91 : 0.01)) < 1e-7, `target ${i}: ${targets[i]}`);
  }
  for (let row = 0; row < 8; row++) {
    const r = targets.slice(row * 10, row * 10 + 10);
    assert.ok(Math.abs(r.reduce((x, y) => x + y, 0) - 1) < 1e-6, 'each row sums to 1');
    assert.equal(r.indexOf(Math.max(...r)), oneHot.slice(row * 10, row * 10 + 10).indexOf(1));
  }
  const direct = targetBatch(split, indices, 0);
  assert.deepEqual(Array.from(direct.dataSync()), labels.flatMap((label) => Array.from({ length: 10 }, (_, c) => (c === label ? 1 : 0))));
  tf.dispose([a.images, a.oneHotLabels, b.images, b.oneHotLabels, direct]);
});

test('an evaluation slice is bit-for-bit the slice of the whole split as float32, labels as int32', () => {
  const split = dataset.test;
  const whole = wholeSplitAsFloat(split);
  const [start, size] = [123, 77];
  const images = imageBatch(split, exampleRange(start, size));
  const labels = labelBatch(split, exampleRange(start, size));
  const expected = tf.slice(whole, [start, 0, 0, 0], [size, 28, 28, 1]);
  assert.deepEqual(bits(images), bits(expected));
  assert.equal(labels.dtype, 'int32');
  assert.deepEqual(Array.from(labels.dataSync()), Array.from(split.labels.subarray(start, start + size)));
  tf.dispose([whole, images, labels, expected]);
});

test('one-hot rows have a single 1 at the label', () => {
  const split = dataset.validation;
  const indices = Int32Array.from([5, 0, 299, 5]);
  const batch = oneHotBatch(split, indices);
  const rows = batch.arraySync();
  batch.dispose();
  rows.forEach((row, n) => {
    assert.equal(row.reduce((a, b) => a + b, 0), 1);
    assert.equal(row[split.labels[indices[n]!]!], 1);
  });
});
