// End-to-end: Export Model… in a real VS Code (code-server 4.100.3), driven from Chromium. With
// no run yet it says so in one line; after a short real run it writes the run's network as a
// SavedModel into the folder named in the save dialog, under a progress notification; then the
// same run again from its context menu in the Runs view:
//   npm run build && bash e2e/install.sh && node --test e2e/export.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT, notification, runCommand, screenshot, webviewFrame } from './codeServer.mjs';
import { openResNetLab, runFromContextMenu, runRow, shortRunSettings } from './resnetLab.mjs';

const STEPS = 20;
const SETTINGS = shortRunSettings({ steps: STEPS });

test('Export Model…: "no checkpoint yet" before a run, then the finished run as a SavedModel in the workspace', async (t) => {
  const { server, page } = await openResNetLab(t, { settings: SETTINGS, name: 'resnet-lab-e2e-export' });
  const widget = page.locator('.quick-input-widget');

  // Before any run there is nothing to export: one line, with a way to pick a folder instead.
  await runCommand(page, 'ResNet Lab: Export Model…');
  const nothing = notification(page, 'there is no checkpoint to export yet; train a run first, or choose a checkpoint folder.');
  await nothing.waitFor();
  assert.equal(await nothing.getByRole('button', { name: 'Choose Checkpoint Folder…' }).count(), 1);
  await screenshot(page, 'e2e-export-no-checkpoint.png');
  await nothing.hover();
  await nothing.locator('.codicon-notifications-clear').click();

  await runCommand(page, 'ResNet Lab: Train ResNet on MNIST');
  const frame = webviewFrame(page, { extensionId: server.extensionId });
  await frame.getByTestId('run-state').filter({ hasText: /^finished$/ }).waitFor({ timeout: 30 * 60_000 });

  await runCommand(page, 'ResNet Lab: Export Model…');
  await widget.locator('.quick-input-list .monaco-list-row').filter({ hasText: "The last run's checkpoint" }).click();
  // code-server's save dialog is VS Code's simple file dialog, a quick input prefilled with the
  // suggested path (the workspace folder's resnet-lab-savedmodel); Enter accepts it.
  const out = path.join(server.workspaceDir, 'resnet-lab-savedmodel');
  const input = widget.locator('.quick-input-box input');
  const acceptSuggestedFolder = async (expected) => {
    await widget.getByText('Export Model: a new folder for the TensorFlow SavedModel').waitFor();
    // The dialog shows the folder first and fills in the suggested name a moment later.
    for (let waited = 0; !expected.test(await input.inputValue()) && waited < 60_000; waited += 100) await sleep(100);
    const value = await input.inputValue();
    assert.match(value, expected);
    await page.keyboard.press('Enter');
    return value;
  };
  await acceptSuggestedFolder(new RegExp(`^${escapeRegExp(out)}$`));

  const exported = notification(page, new RegExp(`exported the network at step ${STEPS} to .*resnet-lab-savedmodel \\(TensorFlow SavedModel, \\d+\\.\\d MB\\)`));
  await exported.waitFor({ timeout: 5 * 60_000 });
  await screenshot(page, 'e2e-export-done.png');
  assert.deepEqual(fs.readdirSync(out).sort(), ['saved_model.pb', 'variables']);
  assert.ok(fs.statSync(path.join(out, 'saved_model.pb')).size > 13_071_562 * 4);

  // The folder is a SavedModel that tfjs-node reads, with the serving signature.
  const tfnode = createRequire(path.join(REPO_ROOT, 'package.json'))('@tensorflow/tfjs-node');
  const [metaGraph] = await tfnode.node.getMetaGraphsFromSavedModel(out);
  assert.deepEqual(metaGraph.tags, ['serve']);
  const signature = metaGraph.signatureDefs.serving_default;
  assert.deepEqual(Object.keys(signature.inputs), ['images']);
  assert.deepEqual(Object.keys(signature.outputs), ['probabilities']);

  // The same run from the Runs view: its context menu's Export Model… suggests a folder named after the run.
  await runCommand(page, 'ResNet Lab: Focus on Runs View');
  const row = runRow(page, `default · batch 16 · ${STEPS} steps`);
  await row.waitFor();
  await runFromContextMenu(page, row, 'Export Model…');
  const fromView = await acceptSuggestedFolder(new RegExp(`^${escapeRegExp(path.join(server.workspaceDir, 'resnet-lab-savedmodel-'))}\\d{8}-\\d{6}-[0-9a-f]+$`));
  await notification(page, new RegExp(`exported the network at step ${STEPS} to .*${escapeRegExp(path.basename(fromView))} \\(TensorFlow SavedModel`)).waitFor({ timeout: 5 * 60_000 });
  assert.deepEqual(fs.readdirSync(fromView).sort(), ['saved_model.pb', 'variables']);
  assert.ok(fs.readFileSync(path.join(fromView, 'saved_model.pb')).equals(fs.readFileSync(path.join(out, 'saved_model.pb'))), 'the same network as the palette exported');
});

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
