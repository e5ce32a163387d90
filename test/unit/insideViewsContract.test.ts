// The inside views over IPC against the built trainer on the real backend and real MNIST: a drawn
// digit's prediction equals the trainer's forward pass on the same 28×28 input, for the finished
// run's own trainer and for an inspection trainer that loads its checkpoint; res2a's feature maps
// come back quantised and complete; malformed and oversized requests are refused and the trainer
// carries on answering.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { decodeBase64, encodeBase64 } from '../../shared/base64Bytes';
import { digitFromBytes, preprocessDrawing, quantiseDigit } from '../../shared/digitPreprocessing';
import { resolveConfig } from '../../shared/trainingConfig';
import { prepareRun } from '../../trainer/prepareRun';
import { tempDir } from '../support/paths';
import { TrainerUnderTest } from '../support/trainerUnderTest';

/** A "7"-ish stroke drawn off-centre on a 280×280 canvas, preprocessed as the panel does. */
function drawnSeven(): string {
  const width = 280, ink = new Float32Array(width * width);
  const dab = (cx: number, cy: number) => {
    for (let y = cy - 9; y <= cy + 9; y++) for (let x = cx - 9; x <= cx + 9; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= 81) ink[y * width + x] = 1;
  };
  for (let t = 0; t <= 1; t += 0.01) dab(Math.round(40 + 120 * t), 40);
  for (let t = 0; t <= 1; t += 0.01) dab(Math.round(160 - 70 * t), Math.round(40 + 180 * t));
  return encodeBase64(quantiseDigit(preprocessDrawing({ width, height: width, ink })!));
}

const STEPS = 20;
const config = resolveConfig('default', { steps: STEPS, batchSize: 8, logEvery: 1, evalEvery: 0, checkpointEvery: 0 });

test('predictions and feature maps over IPC, from the running trainer and from an inspection trainer', async () => {
  const dir = tempDir('inside-views');
  const pixels = drawnSeven();
  const trainer = new TrainerUnderTest();
  await trainer.waitFor('ready');
  trainer.send({ type: 'start', config, checkpointDir: dir, resume: false, architecture: null, detached: null });
  await trainer.waitFor('progress');

  // Malformed and oversized requests while it trains: refused with a reason, logged, never
  // acted on; the run goes on to its last step and the trainer keeps answering.
  trainer.send({ type: 'predictDigit', requestId: 1, pixels: encodeBase64(new Uint8Array(785 * 4096)) });
  trainer.send({ type: 'predictDigit', requestId: 2, pixels: Array.from({ length: 784 }, () => 0.5) } as Record<string, unknown>);
  trainer.send({ type: 'requestFeatureMaps', requestId: 3, blockId: 'res2a', probe: { kind: 'probe', digit: 12 } });
  trainer.send({ type: 'requestFeatureMaps', requestId: 6, blockId: 'res2a', probe: { kind: 'drawn', pixels: encodeBase64(new Uint8Array(785 * 4096)) } });
  trainer.send({ type: 'requestFeatureMaps', requestId: 4, blockId: 'nope', probe: { kind: 'probe', digit: 1 } });
  const unknownBlock = await trainer.waitFor('error', (m) => m.requestId === 4);
  assert.match(unknownBlock.message, /There is no block "nope"/);
  assert.equal(unknownBlock.fatal, false);
  const summary = (await trainer.waitFor('finished')).summary;
  assert.deepEqual([summary.outcome, summary.stepsDone], ['finished', STEPS]);
  const rejections = trainer.received.flatMap((m) => (m.type === 'error' && m.message.startsWith('dropped a malformed message from the host') ? [m] : []));
  assert.deepEqual(rejections.map((m) => [m.fatal, m.message.replace(/^dropped a malformed message from the host: /, '')]), [
    [false, 'predictDigit.pixels must be 784 bytes as base64 (1048 characters), got 4287148 characters'],
    [false, 'predictDigit.pixels must be 784 bytes as base64 (1048 characters) (got an array of 784)'],
    [false, 'requestFeatureMaps.probe.digit must be a whole number from 0 to 9 (got 12)'],
    [false, 'requestFeatureMaps.probe.pixels must be 784 bytes as base64 (1048 characters), got 4287148 characters'],
  ]);
  assert.ok(!trainer.received.some((m) => 'requestId' in m && m.requestId !== undefined && (m.requestId <= 3 || m.requestId === 6)), 'no refused request was answered');

  trainer.send({ type: 'predictDigit', requestId: 5, pixels });
  const live = (await trainer.waitFor('digitPrediction', (m) => m.requestId === 5)).prediction;
  assert.equal(live.step, STEPS);
  assert.equal(live.probabilities.length, 10);
  assert.ok(Math.abs(live.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-5);

  trainer.send({ type: 'requestProbeDigits', requestId: 6 });
  const probes = (await trainer.waitFor('probeDigits', (m) => m.requestId === 6)).probes;
  assert.equal(decodeBase64(probes.images)!.length, 7840);

  trainer.send({ type: 'requestFeatureMaps', requestId: 7, blockId: 'res2a', probe: { kind: 'probe', digit: 3 } });
  const maps = (await trainer.waitFor('featureMaps', (m) => m.requestId === 7)).maps;
  assert.deepEqual(maps.layers.map((l) => [l.layerName, l.height, l.width, l.channels]), [
    ['res2a/shortcut', 14, 14, 256], ['res2a/conv1', 14, 14, 64], ['res2a/conv2', 14, 14, 64], ['res2a/conv3', 14, 14, 256], ['res2a/add', 14, 14, 256],
  ]);
  for (const layer of maps.layers) {
    assert.deepEqual([...layer.order].sort((a, b) => a - b), Array.from({ length: layer.channels }, (_, i) => i));
    assert.equal(decodeBase64(layer.maps)!.length, layer.channels * 196);
    const ranges = new Float32Array(decodeBase64(layer.ranges)!.buffer);
    assert.equal(ranges.length, layer.channels * 2);
    for (const channel of layer.dead) {
      const slot = layer.order.indexOf(channel);
      assert.deepEqual([ranges[slot * 2], ranges[slot * 2 + 1]], [0, 0]);
    }
  }
  console.log(`res2a feature-map update: ${JSON.stringify(maps).length} bytes of JSON`);

  // The input block's one map is the probe image itself: the quantisation loses at most half a step.
  trainer.send({ type: 'requestFeatureMaps', requestId: 8, blockId: 'input', probe: { kind: 'probe', digit: 3 } });
  const input = (await trainer.waitFor('featureMaps', (m) => m.requestId === 8)).maps.layers[0]!;
  const [min, max] = new Float32Array(decodeBase64(input.ranges)!.buffer);
  const probe = decodeBase64(probes.images)!.subarray(3 * 784, 4 * 784);
  decodeBase64(input.maps)!.forEach((q, i) => assert.ok(Math.abs(min! + (q / 255) * (max! - min!) - probe[i]! / 255) <= 0.5 / 255 + 1e-6));

  trainer.child.disconnect();
  assert.equal(await trainer.exited, 0);

  // The same digit through the trainer's forward pass, here, from the run's checkpoint.
  const { run } = await prepareRun(config, dir, true);
  const expected = tf.tidy(() => tf.softmax(run.insideView.logits(tf.tensor4d(digitFromBytes(decodeBase64(pixels)!), [1, 28, 28, 1])))).dataSync();
  run.dispose();
  live.probabilities.forEach((p, i) => assert.ok(Math.abs(p - expected[i]!) <= 1e-6, `class ${i}: ${p} vs ${expected[i]}`));

  // A stopped run's inspection trainer loads the checkpoint and answers the same.
  const inspector = new TrainerUnderTest();
  await inspector.waitFor('ready');
  inspector.send({ type: 'inspect', config, checkpointDir: dir, loadModel: true });
  assert.equal((await inspector.waitFor('inspecting')).step, STEPS);
  inspector.send({ type: 'predictDigit', requestId: 1, pixels });
  const fromCheckpoint = (await inspector.waitFor('digitPrediction')).prediction;
  fromCheckpoint.probabilities.forEach((p, i) => assert.ok(Math.abs(p - expected[i]!) <= 1e-6, `class ${i}: ${p} vs ${expected[i]}`));
  inspector.send({ type: 'stop' });
  assert.equal(await inspector.exited, 0);
});
