// End-to-end: runs are kept, listed and compared (issue 13), in a real VS Code (code-server) on
// real MNIST with the native backend. Two short runs with different learning rates (one from
// Train with the settings, one from the panel's New Run form) both appear in the Runs view;
// Compare shows both runs' curves and the differing field; one is deleted, the other survives.
//   npm run build && bash e2e/install.sh && node --test e2e/runs.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCommand, screenshot, webviewFrame, webviewScreenshot } from './codeServer.mjs';
import { extensionLog, modalDialog, openResNetLab, runFromContextMenu, runRow, shortRunSettings } from './resnetLab.mjs';

const STEPS = 10;
const SETTINGS = shortRunSettings({ steps: STEPS });
/** A bound that turns a hung run into an error; each run takes well under it. */
const RUN_BOUND_MS = 15 * 60_000;
const FIRST_NAME = `default · batch 16 · ${STEPS} steps`;
const SECOND_NAME = `default · lr 3e-3 · batch 16 · ${STEPS} steps`;

test('two runs with different learning rates are listed in the Runs view, compared side by side, and one is deleted while the other survives', async (t) => {
  const { server, page } = await openResNetLab(t, { settings: SETTINGS, name: 'resnet-lab-e2e-runs' });

  // Run 1: Train, with the settings (the default preset's learning rate, 0.002).
  await runCommand(page, 'ResNet Lab: Train ResNet on MNIST');
  const frame = webviewFrame(page, { extensionId: server.extensionId });
  const badge = frame.getByTestId('run-state');
  await badge.filter({ hasText: /^running$/ }).waitFor({ timeout: RUN_BOUND_MS });
  await badge.filter({ hasText: /^finished$/ }).waitFor({ timeout: RUN_BOUND_MS });

  // Run 2: the New Run form with learning rate 0.003; the settings stay as they are.
  const field = (key) => frame.getByTestId(`input-${key}`).locator('input');
  const newRun = frame.getByTestId('new-run');
  // The form is open unless the user collapsed it; its heading opens it.
  if (!(await field('learningRate').isVisible())) await newRun.click({ position: { x: 24, y: 10 } });
  await field('learningRate').fill('0.003');
  await frame.getByTestId('new-run-why').filter({ hasText: 'learning rate 0.003' }).waitFor();
  await frame.getByTestId('new-run-start').click();
  await frame.locator('.run-preset').filter({ hasText: 'lr 0.003' }).waitFor({ timeout: RUN_BOUND_MS });
  await badge.filter({ hasText: /^finished$/ }).waitFor({ timeout: RUN_BOUND_MS });

  // Both are in the Runs view, newest first, with their figures.
  await runCommand(page, 'ResNet Lab: Focus on Runs View');
  const first = runRow(page, FIRST_NAME);
  const second = runRow(page, SECOND_NAME);
  await first.waitFor();
  await second.waitFor();
  for (const row of [first, second]) assert.match(await row.locator('.label-description').textContent(), /^test \d+\.\d\d% · \d+ \w+,? \d\d:\d\d$/);
  const rows = await page.locator('.pane-body .monaco-list-row .label-name').allTextContents();
  assert.deepEqual(rows.filter((r) => r === FIRST_NAME || r === SECOND_NAME), [SECOND_NAME, FIRST_NAME], 'newest first');
  await screenshot(page, 'runs-view.png');

  // Select both and Compare (context menu).
  const comparison = frame.getByTestId('comparison');
  // As with Delete below: the context menu is asked again if its click showed nothing (two
  // fresh-clone runs of the whole suite each lost one of these menu clicks; the cause is not found).
  for (let attempt = 1; !(await comparison.isVisible()); attempt += 1) {
    assert.ok(attempt <= 3, 'Compare Runs showed no comparison in three tries');
    if (await page.locator('.context-view .monaco-menu').isVisible()) await page.keyboard.press('Escape');
    await first.click();
    await second.click({ modifiers: ['ControlOrMeta'] });
    await runFromContextMenu(page, second, 'Compare Runs');
    await comparison.waitFor({ timeout: 20_000 }).catch(() => { /* asked again above */ });
  }
  await frame.getByTestId('comparison-legend-item').nth(1).waitFor();
  assert.equal(await frame.getByTestId('comparison-legend-item').count(), 2);
  // The differing field is the learning rate, highlighted, with both values; the batch size is the same.
  const learningRate = frame.getByTestId('comparison-config-learningRate');
  assert.equal(await learningRate.getAttribute('data-differs'), 'true');
  assert.deepEqual((await learningRate.locator('td').allTextContents()).sort(), ['0.002', '0.003']);
  assert.equal(await frame.getByTestId('comparison-config-batchSize').getAttribute('data-differs'), 'false');
  // Both runs' curves are drawn: every chart names each run with its latest value.
  for (const chart of ['comparison-loss', 'comparison-batch', 'comparison-validation']) {
    const label = await frame.getByTestId(chart).locator('.chart-host').getAttribute('aria-label');
    for (const name of [FIRST_NAME, SECOND_NAME]) assert.match(label, new RegExp(`${name}: \\d`), `${chart}: ${label}`);
    assert.equal(await frame.getByTestId(chart).locator('canvas').count(), 1);
  }
  assert.match(await frame.getByTestId('comparison-metrics').textContent(), /test accuracy/);
  await webviewScreenshot(comparison, 'runs-compare.png');
  // The legend hides and shows a run.
  const legendItem = frame.getByTestId('comparison-legend-item').first();
  await legendItem.click();
  assert.equal(await legendItem.getAttribute('aria-pressed'), 'false');
  await legendItem.click();
  assert.equal(await legendItem.getAttribute('aria-pressed'), 'true');

  // Delete the second run (after a modal confirmation): it goes from the view, the disk and the comparison; the first survives.
  const runsRoot = extensionLog(server).match(/runs in (.+)$/m)[1].trim();
  const folders = () => fs.readdirSync(runsRoot).filter((name) => !name.startsWith('.'));
  assert.equal(folders().length, 2);
  await runCommand(page, 'ResNet Lab: Focus on Runs View');
  await second.click();
  const dialog = modalDialog(page);
  // The context menu is asked again if its click opened nothing: a fresh-clone run of the whole
  // suite once lost this click on the menu item (no dialog). Three tries, then it fails.
  for (let attempt = 1; !(await dialog.isVisible()); attempt += 1) {
    assert.ok(attempt <= 3, 'Delete Run… opened no confirmation in three tries');
    await runFromContextMenu(page, second, 'Delete Run…');
    await dialog.waitFor({ timeout: 20_000 }).catch(() => { /* asked again above */ });
  }
  assert.match(await dialog.textContent(), new RegExp(`Delete run "${SECOND_NAME}"\\?`));
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await second.waitFor({ state: 'detached' });
  await first.waitFor();
  assert.equal(folders().length, 1);
  const survivor = JSON.parse(fs.readFileSync(path.join(runsRoot, folders()[0], 'run.json'), 'utf8'));
  assert.equal(survivor.config.learningRate, 0.002);
  assert.equal(survivor.status, 'finished');
  await frame.getByTestId('comparison-legend-item').nth(1).waitFor({ state: 'detached' });
  assert.equal(await frame.getByTestId('comparison-legend-item').count(), 1);
});
