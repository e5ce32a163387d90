// End-to-end: what the network sees, in a real VS Code (code-server) from Chromium, on the real
// backend while a short run trains. Draws a digit with the mouse and reads the ten prediction
// bars; picks a probe digit and sees res2a's feature maps; then Undo and Clear on the drawing, and
// the same digit drawn with a pen and with a finger (Chromium's own pen and touch input, through
// the DevTools protocol: Playwright's mouse is a mouse only).
//   npm run build && bash e2e/install.sh && node --test e2e/insideViews.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCommand, webviewFrame, webviewScreenshot } from './codeServer.mjs';
import { openResNetLab, shortRunSettings } from './resnetLab.mjs';

// Long enough that training is still running while the test draws; the test does not wait for the end.
const SETTINGS = shortRunSettings({ steps: 600 });

/** One stroke with Playwright's mouse through `points` (fractions of the surface). */
async function stroke(page, surface, ...points) {
  const box = await surface.boundingBox();
  const at = ([fx, fy]) => [box.x + fx * box.width, box.y + fy * box.height];
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const point of points.slice(1)) await page.mouse.move(...at(point), { steps: 12 });
  await page.mouse.up();
}

/** A "7": a bar across the top, then the diagonal down. */
const SEVEN = [[0.25, 0.22], [0.72, 0.22], [0.42, 0.82]];
const drawSeven = (page, surface) => stroke(page, surface, ...SEVEN);

/**
 * The points Playwright's mouse passes through for `stroke` (12 steps per segment), so a pen or a
 * finger can draw the very same line.
 */
async function strokePoints(surface, points) {
  const box = await surface.boundingBox();
  const at = ([fx, fy]) => ({ x: box.x + fx * box.width, y: box.y + fy * box.height });
  const path = [at(points[0])];
  for (const point of points.slice(1)) {
    const from = path[path.length - 1];
    const to = at(point);
    for (let i = 1; i <= 12; i++) path.push({ x: from.x + ((to.x - from.x) * i) / 12, y: from.y + ((to.y - from.y) * i) / 12 });
  }
  return path;
}

/** One stroke with a pen: Chromium's pen pointer (pointerType "pen"), pressed along `points`. */
async function penStroke(cdp, surface, ...points) {
  const [first, ...rest] = await strokePoints(surface, points);
  const pen = { pointerType: 'pen', button: 'left', force: 0.5 };
  await cdp.send('Input.dispatchMouseEvent', { type: 'mousePressed', ...first, ...pen, buttons: 1, clickCount: 1 });
  for (const point of rest) await cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', ...point, ...pen, buttons: 1 });
  await cdp.send('Input.dispatchMouseEvent', { type: 'mouseReleased', ...rest[rest.length - 1], ...pen, buttons: 0, clickCount: 1 });
}

/** One stroke with a finger: a touch sequence along `points`. */
async function touchStroke(cdp, surface, ...points) {
  const [first, ...rest] = await strokePoints(surface, points);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [first] });
  for (const point of rest) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [point] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

/** The ink of the 28×28 preview (the digit as the network sees it): the sum of its grey values. */
const previewInk = (card) => card.getByTestId('draw-preview').evaluate((canvas) => {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) sum += data[i];
  return sum;
});

/** After one animation frame: the drawing redraws once per frame, in a callback queued before this one. */
const nextFrame = (card) => card.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));

async function probabilities(frame) {
  const bars = frame.locator('[data-testid="prediction-bar"][data-probability]');
  await bars.nth(9).waitFor();
  return bars.evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-probability'))));
}

const predictedStep = async (frame) => Number((await frame.getByTestId('prediction-status').textContent()).match(/step (\d+)/)?.[1] ?? NaN);

test('draw a digit and see ten live probabilities; choose a probe digit and see res2a\'s feature maps', async (t) => {
  const { server, page } = await openResNetLab(t, { settings: SETTINGS, name: 'resnet-lab-e2e-inside', viewport: { width: 1600, height: 1800 } });

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

  // Undo takes back the last stroke (the preview is the 7's again); Clear empties the drawing and the bars.
  await card.scrollIntoViewIfNeeded();
  await nextFrame(card);
  const seven = await previewInk(card);
  assert.ok(seven > 0, 'the 7 is in the preview');
  await stroke(page, frame.getByTestId('draw-surface'), [0.2, 0.6], [0.8, 0.6]);
  await nextFrame(card);
  assert.notEqual(await previewInk(card), seven, 'a second stroke changes what the network sees');
  await card.getByTestId('draw-undo').click();
  await nextFrame(card);
  assert.equal(await previewInk(card), seven);
  await card.getByTestId('draw-clear').click();
  await nextFrame(card);
  assert.equal(await previewInk(card), 0);
  await frame.getByTestId('prediction-status').filter({ hasText: 'Draw a digit to see what the network says.' }).waitFor();
  assert.equal(await card.locator('[data-testid="prediction-bar"][data-probability]').count(), 0);

  // Pen and touch: the same 7 through the same points gives the network the same digit, and bars.
  const cdp = await page.context().newCDPSession(page);
  for (const [input, draw] of [['pen', penStroke], ['touch', touchStroke]]) {
    await draw(cdp, frame.getByTestId('draw-surface'), ...SEVEN);
    await nextFrame(card);
    assert.equal(await previewInk(card), seven, `the 7 drawn by ${input} is the mouse's 7`);
    const bars = await probabilities(frame);
    assert.ok(Math.abs(bars.reduce((a, b) => a + b, 0) - 1) < 1e-3, `${input}: probabilities sum to ${bars.reduce((a, b) => a + b, 0)}`);
    await card.getByTestId('draw-clear').click();
    await nextFrame(card);
    assert.equal(await previewInk(card), 0);
  }
});
