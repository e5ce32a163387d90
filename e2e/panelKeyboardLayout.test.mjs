// End-to-end, in a real VS Code (code-server) with the Light Modern theme: what the idle panel says,
// muted text that is muted, the keyboard path from the diagram to the inspector and the shapes
// table (Enter and Space select a row), and tables that fit the panel at 850 and 600 px wide,
// with live weights and activations from a short real run.
//   npm run build && bash e2e/install.sh && node --test e2e/panelKeyboardLayout.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCommand, webviewFrame, webviewScreenshot } from './codeServer.mjs';
import { openResNetLab } from './resnetLab.mjs';

const STEPS = 30;
const SETTINGS = {
  'workbench.colorTheme': 'Default Light Modern',
  'resnetLab.preset': 'default',
  // Changed to STEPS while the panel is open, to see the idle line follow the settings.
  'resnetLab.steps': STEPS + 10,
  'resnetLab.batchSize': 16,
  'resnetLab.logEvery': 5,
  'resnetLab.evalEvery': 0,
  'resnetLab.checkpointEvery': 0,
};
/** A bound that turns a hung run into an error; the run itself takes well under it. */
const RUN_BOUND_MS = 15 * 60_000;

/** Polls `check` until it is true: for effects outside the page, such as a settings file being written. */
async function until(what, check, boundMs = 120_000) {
  const deadline = Date.now() + boundMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`gave up waiting for ${what}`);
    await sleep(100);
  }
}

/** What has keyboard focus inside the panel: its test id, block id and role. */
const focused = (frame) => frame.locator('body').evaluate(() => {
  const el = document.activeElement;
  return el ? { testId: el.getAttribute('data-testid'), blockId: el.getAttribute('data-block-id'), role: el.getAttribute('role'), label: el.getAttribute('aria-label') } : null;
});

/** Presses Tab until focus is on an element matching `wanted`, returning every stop on the way. */
async function tabUntil(page, frame, wanted, maxStops = 12) {
  const stops = [];
  for (let i = 0; i < maxStops; i++) {
    await page.keyboard.press('Tab');
    const stop = await focused(frame);
    stops.push(stop);
    if (stop && wanted(stop)) return stops;
  }
  assert.fail(`Tab never reached the wanted element; stops: ${JSON.stringify(stops)}`);
}

/**
 * Every scroll box shown in the panel whose content is wider than the box, and the page itself
 * (the architecture-file card, hidden with no such file open, and the comparison's tables, hidden
 * while no runs are compared, are not shown).
 */
const clipped = (frame) => frame.locator('body').evaluate(() => {
  const shown = [...document.querySelectorAll('.table-scroll, .diagram-scroll')].filter((el) => el.getClientRects().length > 0);
  const boxes = shown.map((el) => ({
    what: el.getAttribute('aria-label') ?? el.className, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth,
  }));
  const page = { what: 'page', scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth };
  return { panelWidth: window.innerWidth, tables: boxes.length, clipped: [...boxes, page].filter((b) => b.scrollWidth > b.clientWidth) };
});

test('Light Modern panel: idle words, muted text, keyboard path to the inspector and table rows, no clipping at 850 and 600 px', async (t) => {
  const { server, page } = await openResNetLab(t, { settings: SETTINGS, name: 'resnet-lab-e2e-panel', viewport: { width: 1400, height: 1000 } });

  await runCommand(page, 'ResNet Lab: Show Panel');
  let frame = webviewFrame(page, { extensionId: server.extensionId });

  // Idle: no run is going, and the panel says what Train would start, from these settings.
  const idle = frame.getByTestId('idle-note');
  await idle.waitFor();
  assert.equal((await frame.getByTestId('run-state').textContent()).trim(), 'idle');
  assert.match(await idle.textContent(), new RegExp(`default preset, ${STEPS + 10} steps at batch 16`));

  // The link opens the extension's settings; a value changed there reaches the idle line at once.
  await frame.getByTestId('open-settings').click();
  await page.locator('.settings-editor').waitFor();
  const stepsInput = page.locator('.settings-editor .setting-item-contents')
    .filter({ has: page.locator('.setting-item-label', { hasText: /^Steps$/ }) }).locator('input');
  await stepsInput.fill(String(STEPS));
  // The settings editor writes settings.json a moment after typing; close it only once it has.
  const settingsFile = path.join(server.userDataDir, 'User', 'settings.json');
  const savedSteps = () => {
    try {
      return JSON.parse(fs.readFileSync(settingsFile, 'utf8'))['resnetLab.steps'];
    } catch {
      return undefined; // read halfway through a write
    }
  };
  await until('the Steps setting to be saved', () => savedSteps() === STEPS);
  await runCommand(page, 'View: Close Editor');
  frame = webviewFrame(page, { extensionId: server.extensionId });
  await frame.getByTestId('idle-note').filter({ hasText: `${STEPS} steps at batch 16` }).waitFor();
  assert.equal((await frame.getByTestId('idle-note').textContent()).trim(),
    `No training run is going. Train starts a new run: default preset, ${STEPS} steps at batch 16, He initialisation, learning rate 0.002, 100 warm-up steps, cosine to 0, dense ×0.1. Change the settings`);
  assert.equal((await frame.getByTestId('chart-loss').textContent()).includes('Waiting for the first training steps'), false);
  assert.equal(await frame.getByTestId('command-slot-train').getAttribute('title'),
    `Train starts a new run: default preset, ${STEPS} steps at batch 16, He initialisation, learning rate 0.002, 100 warm-up steps, cosine to 0, dense ×0.1.`);

  // The network is named from its spec, without the developer note.
  assert.equal((await frame.getByTestId('network-title').textContent()).trim(), 'Bottleneck ResNet · 3 residual blocks · 13.1 M parameters');
  assert.equal((await frame.locator('body').textContent()).includes('trainer confirms'), false);

  // The greyed-out Evaluate button says why.
  assert.equal(await frame.getByTestId('command-evaluateTest').getAttribute('disabled'), '');
  assert.equal(await frame.getByTestId('command-slot-evaluateTest').getAttribute('title'), 'No model is loaded: train a run first.');

  // Light Modern gives descriptionForeground the text colour (#3B3B3B); muted labels must differ.
  const colours = await frame.locator('body').evaluate(() => ({
    text: getComputedStyle(document.body).color,
    muted: getComputedStyle(document.querySelector('.metric-label')).color,
    description: getComputedStyle(document.documentElement).getPropertyValue('--vscode-descriptionForeground').trim(),
  }));
  assert.equal(colours.description.toLowerCase(), '#3b3b3b', 'the theme is Light Modern');
  assert.equal(colours.text, 'rgb(59, 59, 59)');
  assert.equal(colours.muted, 'rgb(118, 118, 118)');
  await webviewScreenshot(frame, 'panel-light-modern-idle.png');

  // Keyboard: from the diagram, Tab reaches the inspector, then the shapes table's rows.
  await frame.getByTestId('block-input').focus();
  const toInspector = await tabUntil(page, frame, (s) => s.testId === 'inspector');
  assert.equal(toInspector.length, 1, `the inspector is the next Tab stop after the diagram: ${JSON.stringify(toInspector)}`);
  const toRow = await tabUntil(page, frame, (s) => s.blockId !== null);
  assert.deepEqual(toRow.map((s) => s.label ?? s.testId), ['Shapes per stage table', 'shape-row-input'], 'the table\'s scroll box, then its first row');
  // The table is a grid of rows that can be selected; none is yet.
  const grid = frame.getByRole('grid', { name: /Output shape, parameters and multiply-adds per stage/ });
  assert.equal(await grid.getByRole('row', { selected: true }).count(), 0);

  // Arrow keys move focus without selecting; Enter selects.
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  assert.equal((await focused(frame)).blockId, 'res2a');
  assert.equal(await frame.getByTestId('shape-row-res2a').getAttribute('aria-selected'), 'false');
  assert.equal(await frame.getByTestId('inspector').getAttribute('data-block-id'), null);
  await page.keyboard.press('Enter');
  await frame.getByTestId('shape-row-res2a').and(frame.locator('[aria-selected="true"]')).waitFor();
  assert.deepEqual(await grid.getByRole('row', { selected: true }).evaluateAll((rows) => rows.map((r) => r.dataset.blockId)), ['res2a']);
  assert.equal(await frame.getByTestId('inspector').getAttribute('data-block-id'), 'res2a');
  assert.equal(await frame.getByTestId('block-res2a').getAttribute('aria-pressed'), 'true');
  assert.match(await frame.getByTestId('layer-table').textContent(), /res2a\/shortcut.*1×1\/1 valid, 64→256/);
  // Space selects too; only one row is selected at a time.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  await frame.getByTestId('shape-row-res2b').and(frame.locator('[aria-selected="true"]')).waitFor();
  assert.equal(await frame.getByTestId('shape-row-res2a').getAttribute('aria-selected'), 'false');
  assert.equal(await frame.getByTestId('inspector').getAttribute('data-block-id'), 'res2b');
  assert.equal((await focused(frame)).blockId, 'res2b', 'focus stays on the selected row');
  // Back to res2a, whose projection shortcut makes its tables the widest.
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await frame.getByTestId('shape-row-res2a').and(frame.locator('[aria-selected="true"]')).waitFor();

  // A short real run, started from the panel's own button, fills the weight and activation tables.
  await frame.getByTestId('command-train').click();
  await frame.getByTestId('run-state').filter({ hasText: /^finished$/ }).waitFor({ timeout: RUN_BOUND_MS });
  assert.equal(await frame.getByTestId('idle-note').isVisible(), false, 'the idle line is gone once a run exists');
  const inspector = frame.getByTestId('inspector');
  await inspector.getByTestId('weight-table').waitFor();
  await inspector.getByTestId('activation-table').waitFor();
  assert.equal(await frame.getByTestId('command-slot-evaluateTest').getAttribute('title'), null, 'an enabled Evaluate needs no excuse');
  const tiles = await inspector.locator('.tile').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')));
  assert.ok(tiles.some((label) => /^dead units: \d+%/.test(label)), `tiles read as phrases: ${JSON.stringify(tiles)}`);
  assert.match(await frame.getByTestId('chart-accuracy').locator('[role="img"]').getAttribute('aria-label'),
    new RegExp(`^Accuracy per step: batch accuracy [\\d.]+% at step ${STEPS}; validation [\\d.]+% at step ${STEPS}; test [\\d.]+% at step ${STEPS}\\.$`));

  // Layout: the webview at 850 px, then 600 px; every table fits its box and the page does not scroll sideways.
  // The finished-run toast would cover the screenshots; the window is made tall enough to show the whole panel.
  await runCommand(page, 'Notifications: Clear All Notifications');
  const outer = page.locator(`iframe.webview.ready[src*="extensionId=${server.extensionId}"]`).filter({ visible: true }).first();
  for (const width of [850, 600]) {
    const viewport = page.viewportSize();
    const { width: frameWidth } = await outer.boundingBox();
    await page.setViewportSize({ width: Math.round(viewport.width - frameWidth + width), height: 3200 });
    // The workbench lays the webview out a few frames after the resize; wait for it (bounded).
    await frame.locator('body').evaluate((body, w) => new Promise((resolve) => {
      let frames = 0;
      const check = () => (window.innerWidth === w || ++frames > 600 ? resolve() : requestAnimationFrame(check));
      check();
    }), width);
    const layout = await clipped(frame);
    assert.equal(layout.panelWidth, width);
    assert.equal(layout.tables, 5, 'diagram, layers, activations, weights and shapes');
    assert.deepEqual(layout.clipped, [], `nothing clips at ${width} px`);
    await webviewScreenshot(frame, `panel-light-modern-${width}px.png`);
  }
});
