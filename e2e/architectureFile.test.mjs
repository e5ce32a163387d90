// End-to-end: the architecture file (issue 9) in a real VS Code (code-server), on real MNIST with
// the native backend. New Architecture File writes the seed network; the panel previews it; a
// wider res2b updates the shapes table as it is typed; a broken residual gets its squiggle and
// Problems entry and the preview keeps the last valid network; fixed, Train This Architecture
// (the CodeLens) trains the edited network a few steps and the panel draws that network.
//   npm run build && bash e2e/install.sh && node --test e2e/architectureFile.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT, runCommand, screenshot, webviewFrame, webviewScreenshot } from './codeServer.mjs';
import { extensionLog, openResNetLab, shortRunSettings } from './resnetLab.mjs';

// The figures the panel must show, from the same shared code (built by npm run build).
const require = createRequire(import.meta.url);
const { seedResNetArchitecture } = require(path.join(REPO_ROOT, 'out/shared/architecture.js'));
const { architectureFileText } = require(path.join(REPO_ROOT, 'out/shared/architectureFile.js'));
const { computeModelFigures } = require(path.join(REPO_ROOT, 'out/shared/modelFigures.js'));

const STEPS = 10;
/** The settings' dropout keep probability, which New Architecture File writes into the file (neither the seed's 0.5 nor the default's 1). */
const KEEP = 0.75;
/** A bound that turns a hung run into an error; the run itself takes well under it. */
const RUN_BOUND_MS = 15 * 60_000;
const count = (n) => Math.round(n).toLocaleString('en-US');

/** The spec with res2b's first two convolutions `width` wide and its last one `out` wide. */
function withRes2b(width, out = 256) {
  const spec = seedResNetArchitecture(KEEP);
  const res2b = spec.blocks.find((b) => b.id === 'res2b');
  res2b.layers[0].filters = width;
  res2b.layers[1].filters = width;
  res2b.layers[2].filters = out;
  return spec;
}

/** 1-based line of res2b's n-th layer's "filters" in the seed file. */
function filtersLine(text, layerName) {
  const lines = text.split('\n');
  const nameLine = lines.findIndex((l) => l.includes(`"name": "${layerName}"`));
  return nameLine + lines.slice(nameLine).findIndex((l) => l.includes('"filters"')) + 1;
}

test('architecture file: preview and shapes follow the typing, a broken residual is squiggled and listed, the fixed file trains and the panel draws it', async (t) => {
  const { server, page } = await openResNetLab(t, { settings: { ...shortRunSettings({ steps: STEPS }), 'resnetLab.keepProb': KEEP }, name: 'resnet-lab-e2e-architecture' });

  // New Architecture File: the seed network with the settings' dropout, written into the workspace and opened.
  await runCommand(page, 'ResNet Lab: New Architecture File');
  const file = path.join(server.workspaceDir, 'network.resnet.json');
  await page.locator('.tab').filter({ hasText: 'network.resnet.json' }).waitFor();
  const seedText = fs.readFileSync(file, 'utf8');
  assert.equal(seedText, architectureFileText(seedResNetArchitecture(KEEP)));

  // The panel beside the file: its preview card draws the file's network.
  await runCommand(page, 'ResNet Lab: Show Panel');
  await runCommand(page, 'View: Move Editor into Right Group');
  const frame = webviewFrame(page, { extensionId: server.extensionId });
  const preview = frame.getByTestId('architecture-preview');
  const previewRow = (id) => preview.getByTestId(`shape-row-${id}`);
  const seedFigures = computeModelFigures(seedResNetArchitecture(KEEP));
  const seedRes2b = seedFigures.blocks.find((b) => b.id === 'res2b');
  await previewRow('res2b').filter({ hasText: count(seedRes2b.params) }).waitFor();
  await preview.getByTestId('preview-status').filter({ hasText: 'Valid' }).waitFor();

  // Back in the editor: res2b 64 → 96 wide (conv1 and conv2) updates the shapes table as it is typed.
  await page.locator('.tab').filter({ hasText: 'network.resnet.json' }).click();
  await page.locator('.monaco-editor .view-lines').first().click();
  const conv1 = filtersLine(seedText, 'res2b/conv1');
  const conv2 = filtersLine(seedText, 'res2b/conv2');
  const conv3 = filtersLine(seedText, 'res2b/conv3');
  await replaceLineNumber(page, conv1, '64', '96');
  await replaceLineNumber(page, conv2, '64', '96');
  const wide = computeModelFigures(withRes2b(96));
  const wideRes2b = wide.blocks.find((b) => b.id === 'res2b');
  assert.notEqual(wideRes2b.params, seedRes2b.params);
  await previewRow('res2b').filter({ hasText: count(wideRes2b.params) }).waitFor();
  assert.equal(await preview.getByTestId('total-params').textContent(), count(wide.totalParams));
  await webviewScreenshot(preview, 'architecture-preview-wide-res2b.png');

  // Break the residual: conv3 256 → 128, so the identity shortcut's 256 channels cannot be added.
  await replaceLineNumber(page, conv3, '256', '128');
  const message = 'res2b: the main path gives 14×14×128 but the identity shortcut passes 14×14×256 unchanged, so they cannot be added: set res2b/conv3\'s filters to 256, or give the block a projection shortcut';
  await page.locator('.monaco-editor .squiggly-error').first().waitFor();
  await preview.getByTestId('preview-status').filter({ hasText: '1 problem (see the Problems view); showing the file\'s last valid network.' }).waitFor();
  await preview.getByTestId('preview-problems').filter({ hasText: message }).waitFor();
  // The preview keeps the last valid network (the wide one).
  assert.equal(await previewRow('res2b').filter({ hasText: count(wideRes2b.params) }).count(), 1);
  await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
  const problem = page.locator('.markers-panel .monaco-list-row').filter({ hasText: message });
  await problem.waitFor();
  await screenshot(page, 'architecture-broken-residual.png');

  // Fixed again, then trained from the CodeLens with the current settings.
  await page.locator('.tab').filter({ hasText: 'network.resnet.json' }).click();
  await page.locator('.monaco-editor .view-lines').first().click();
  await replaceLineNumber(page, conv3, '128', '256');
  await preview.getByTestId('preview-status').filter({ hasText: 'Valid' }).waitFor();
  await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'detached' });
  // The CodeLens stands above the file's first line.
  await page.keyboard.press('Control+Home');
  await page.locator('.codelens-decoration a').filter({ hasText: 'Train This Architecture' }).click();

  // The run trains the edited network: the run's own card and table draw it, and it finishes.
  const runTable = frame.locator('.shapes-card');
  await runTable.getByTestId('shape-row-res2b').filter({ hasText: count(wideRes2b.params) }).waitFor();
  assert.equal(await frame.getByTestId('network-title').textContent(), `Bottleneck ResNet · 3 residual blocks · ${(wide.totalParams / 1e6).toFixed(1)} M parameters`);
  await frame.getByTestId('run-state').filter({ hasText: /^finished$/ }).waitFor({ timeout: RUN_BOUND_MS });
  assert.equal(await frame.getByTestId('step-counter').textContent(), `step ${STEPS} / ${STEPS}`);
  assert.equal(await runTable.getByTestId('total-params').textContent(), count(wide.totalParams));
  assert.doesNotMatch(extensionLog(server), /dropped a malformed message/);
  await webviewScreenshot(frame.locator('.architecture-card'), 'architecture-trained-panel.png');
});

/** Goes to `line`, and replaces its `from` number with `to`, typing it as a user would. */
async function replaceLineNumber(page, line, from, to) {
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget .quick-input-box input').waitFor();
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
  await page.keyboard.press('End');
  // The line ends "<from>,": step back over the comma, select the number, type the new one.
  await page.keyboard.press('ArrowLeft');
  for (let i = 0; i < from.length; i++) await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.type(to);
}
