// End-to-end: what the network sees, in a real VS Code (code-server) from Chromium, on the real
// backend while a short run trains. Draws a digit with the mouse and reads the ten prediction
// bars; picks a probe digit and sees res2a's feature maps.
//   npm run build && bash e2e/install.sh && node --test e2e/insideViews.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCommand, webviewFrame, webviewScreenshot } from './codeServer.mjs';
import { openResNetLab, shortRunSettings } from './resnetLab.mjs';

// Long enough that training is still running while the test draws; the test does not wait for the end.
const SETTINGS = shortRunSettings({ steps: 600 });

/** A "7" with Playwright's mouse: a bar across the top, then the diagonal down. */
async function drawSeven(page, surface) {
  const box = await surface.boundingBox();
  const at = (fx, fy) => [box.x + fx * box.width, box.y + fy * box.height];
  await page.mouse.move(...at(0.25, 0.22));
  await page.mouse.down();
  await page.mouse.move(...at(0.72, 0.22), { steps: 12 });
  await page.mouse.move(...at(0.42, 0.82), { steps: 16 });
  await page.mouse.up();
}

async function probabilities(frame) {
  const bars = frame.locator('[data-testid="prediction-bar"][data-probability]');
  await bars.nth(9).waitFor();
  return bars.evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-probability'))));
}

const predictedStep = async (frame) => Number((await frame.getByTestId('prediction-status').textContent()).match(/step (\d+)/)?.[1] ?? NaN);

test('draw a digit and see ten live probabilities; choose a probe digit and see res2a\'s feature maps', async (t) => {
  const { server, page } = await openResNetLab(t, { settings: SETTINGS, name: 'resnet-lab-e2e-inside', viewport: { width: 1600, height: 1200 } });

  await runCommand(page, 'ResNet Lab: Train ResNet on MNIST');
  const frame = webviewFrame(page, { extensionId: server.extensionId });
  await frame.getByTestId('run-state').filter({ hasText: /^running$/ }).waitFor();

  // Draw: the preprocessed digit and ten bars that sum to 1, from the running trainer.
  const card = frame.getByTestId('draw-digit');
  await card.scrollIntoViewIfNeeded();
  await drawSeven(page, frame.getByTestId('draw-surface'));
  const first = await probabilities(frame);
  assert.equal(first.length, 10);
  assert.ok(first.every((p) => p >= 0 && p <= 1), JSON.stringify(first));
  assert.ok(Math.abs(first.reduce((a, b) => a + b, 0) - 1) < 1e-3, `probabilities sum to ${first.reduce((a, b) => a + b, 0)}`);
  const firstStep = await predictedStep(frame);
  assert.ok(firstStep >= 0, 'the status names the step of the weights');
  // Training moves the weights on, and the prediction follows without drawing again.
  await frame.getByTestId('prediction-status').filter({ hasText: new RegExp(`step (?!${firstStep}\\b)\\d+`) }).waitFor();
  assert.ok((await predictedStep(frame)) > firstStep);
  await webviewScreenshot(card, 'draw-digit.png');

  // Feature maps: res2a for the validation 3, every layer, strongest channel first.
  await frame.getByTestId('block-res2a').click();
  const maps = frame.getByTestId('feature-maps');
  await maps.scrollIntoViewIfNeeded();
  await maps.getByTestId('probe-3').click();
  await maps.getByTestId('feature-maps-caption').filter({ hasText: /validation 3 · step \d+/ }).waitFor();
  const layers = maps.locator('.feature-layer');
  assert.deepEqual(await layers.evaluateAll((items) => items.map((l) => [l.getAttribute('data-layer'), l.querySelectorAll('canvas.feature-map').length])), [
    ['res2a/shortcut', 256], ['res2a/conv1', 64], ['res2a/conv2', 64], ['res2a/conv3', 256], ['res2a/add', 256],
  ]);
  // The probe digits arrived and the drawn digit joined the strip.
  await maps.getByTestId('probe-drawn').waitFor();
  await webviewScreenshot(maps, 'feature-maps-res2a.png');

  await maps.getByTestId('probe-drawn').click();
  await maps.getByTestId('feature-maps-caption').filter({ hasText: /drawn digit · step \d+/ }).waitFor();
});
