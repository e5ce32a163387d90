// One layer's maps as uint8 with a per-map range: strongest channel first, dead channels named,
// values back within half a quantisation step.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBase64 } from '../../shared/base64Bytes';
import { quantiseLayer } from '../../trainer/inspection/featureMaps';

test('maps are ordered by mean, dead channels marked, and dequantise within half a step', () => {
  const [channels, height, width] = [4, 2, 3];
  const size = height * width;
  const values = new Float32Array(channels * size);
  // channel 0: dead; channel 1: mean 1; channel 2: mean 5 with a spread; channel 3: negative and positive (no ReLU).
  for (let i = 0; i < size; i++) {
    values[size + i] = 1;
    values[2 * size + i] = 2 + i * 1.2;
    values[3 * size + i] = -3 + i;
  }
  const layer = quantiseLayer('block/conv', values, channels, height, width);
  assert.deepEqual(layer.order, [2, 1, 0, 3]); // channel 3's mean is -0.5, below the dead one's 0
  assert.deepEqual(layer.dead, [0]);
  const maps = decodeBase64(layer.maps)!;
  const ranges = new Float32Array(decodeBase64(layer.ranges)!.buffer);
  assert.equal(maps.length, channels * size);
  layer.order.forEach((channel, slot) => {
    const [min, max] = [ranges[slot * 2]!, ranges[slot * 2 + 1]!];
    for (let i = 0; i < size; i++) {
      const back = max === min ? min : min + (maps[slot * size + i]! / 255) * (max - min);
      assert.ok(Math.abs(back - values[channel * size + i]!) <= (max - min) / 510 + 1e-6, `channel ${channel} pixel ${i}`);
    }
  });
  // A constant but live map (channel 1) is not dead, and its range says what it is.
  assert.deepEqual([ranges[2], ranges[3]], [1, 1]);
  // The strongest map spans the full byte range.
  assert.equal(Math.min(...maps.subarray(0, size)), 0);
  assert.equal(Math.max(...maps.subarray(0, size)), 255);
});
