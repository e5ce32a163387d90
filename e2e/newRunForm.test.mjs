// End-to-end: the panel's New Run form (issue 13) in a real VS Code (code-server), on real MNIST
// with the native backend. Pre-filled from the settings (the floor disabled under their constant
// schedule); an invalid learning rate is explained
// under its field and Run is disabled; fixed, Run starts a run with the form's learning rate
// (and warm-up and dense-layer scale, as run.json in the run store records), and settings.json
// is left exactly as it was. Edits survive the panel being hidden behind another editor tab.
//   npm run build && bash e2e/install.sh && node --test e2e/newRunForm.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCommand, webviewFrame, webviewScreenshot } from './codeServer.mjs';
import { extensionLog, openResNetLab, runManifests, shortRunSettings } from './resnetLab.mjs';

const STEPS = 20;

// A constant schedule, so the floor (where a cosine ends) does not apply and the form disables it.
const SETTINGS = { ...shortRunSettings({ steps: STEPS }), 'resnetLab.lrSchedule': 'constant' };
/** A bound that turns a hung run into an error; the run itself takes well under it. */
const RUN_BOUND_MS = 15 * 60_000;

test('New Run form: pre-filled from the settings, an invalid learning rate explained under its field, Run starts the form\'s run and leaves settings.json as it was', async (t) => {
  const { server, page } = await openResNetLab(t, { settings: SETTINGS, name: 'resnet-lab-e2e-new-run' });
  const settingsFile = path.join(server.userDataDir, 'User', 'settings.json');
  const settingsBefore = fs.readFileSync(settingsFile, 'utf8');

  await runCommand(page, 'ResNet Lab: Show Panel');
  const frame = webviewFrame(page, { extensionId: server.extensionId });
  const form = frame.getByTestId('new-run');
  await form.waitFor();
  // Open before any run, and filled in from the settings (Playwright's locators pierce the elements' shadow roots).
  const field = (key) => frame.getByTestId(`input-${key}`).locator('input');
  await frame.getByTestId('new-run-source').filter({ hasText: 'Filled in from your settings.' }).waitFor();
  assert.equal(await field('learningRate').inputValue(), '0.002');
  assert.equal(await field('batchSize').inputValue(), '16');
  assert.equal(await field('steps').inputValue(), String(STEPS));
  assert.equal(await field('seed').inputValue(), '1');
  assert.equal(await field('keepProb').inputValue(), '1');
  assert.equal(await frame.getByTestId('epoch-note').textContent(), '1 epoch = 55,000 training images = 3,438 steps at batch 16.');
  // Every control has its label.
  for (const key of ['preset', 'learningRate', 'lrSchedule', 'warmupSteps', 'lrFloor', 'denseLrScale', 'adamEpsilon', 'batchSize', 'steps', 'init', 'keepProb', 'labelSmoothing', 'seed', 'backend']) {
    assert.equal(await frame.locator(`vscode-label[for="new-run-${key}"]`).count(), 1, `${key} is labelled`);
  }
  const run = frame.getByTestId('new-run-start');
  assert.equal(await run.getAttribute('disabled'), null);
  // With the settings' constant schedule the floor changes nothing: disabled, its hint saying why.
  assert.equal(await frame.getByTestId('input-lrFloor').getAttribute('disabled'), '');
  assert.match(await frame.getByTestId('hint-lrFloor').textContent(), /^Not used: the rate stays at its peak after the warm-up/);
  assert.equal(await frame.getByTestId('input-warmupSteps').getAttribute('disabled'), null, 'the warm-up applies to both schedules');

  // An invalid learning rate: explained under its field in the shared validator's words; Run is disabled and says why.
  await field('learningRate').fill('0');
  const problem = frame.getByTestId('problem-learningRate');
  await problem.filter({ hasText: 'learningRate must be greater than 0 and at most 10 (got 0)' }).waitFor();
  assert.equal(await frame.getByTestId('input-learningRate').getAttribute('invalid'), '');
  assert.equal(await run.getAttribute('disabled'), '');
  assert.equal(await frame.getByTestId('new-run-why').textContent(), 'Fix the values marked above to run.');
  // The explanation sits next to its field: directly below the learning rate's box.
  const fieldBox = await frame.getByTestId('input-learningRate').boundingBox();
  const problemBox = await problem.boundingBox();
  assert.ok(problemBox.y >= fieldBox.y + fieldBox.height && problemBox.y - (fieldBox.y + fieldBox.height) < 12, `problem right under the field: ${JSON.stringify({ fieldBox, problemBox })}`);
  assert.ok(Math.abs(problemBox.x - fieldBox.x) < 2, 'aligned with the field');
  await webviewScreenshot(form, 'new-run-form-invalid.png');

  // Fixed: the explanation goes, Run is enabled and says what it will start. Two of the
  // learning-rate levers are set too, to see the whole config reach the run.
  await field('learningRate').fill('0.0003');
  await field('warmupSteps').fill('5');
  await field('denseLrScale').fill('0.1');
  await problem.waitFor({ state: 'hidden' });
  assert.equal(await frame.getByTestId('input-learningRate').getAttribute('invalid'), null);
  await frame.getByTestId('new-run-why').filter({ hasText: `Runs ${STEPS} steps at batch 16, learning rate 0.0003.` }).waitFor();
  assert.equal(await run.getAttribute('disabled'), null);
  await webviewScreenshot(form, 'new-run-form.png');

  // Another editor tab hides the panel (VS Code drops the hidden page); shown again, the edits are still there.
  await runCommand(page, 'File: New Untitled Text File');
  await form.waitFor({ state: 'hidden' });
  await runCommand(page, 'ResNet Lab: Show Panel');
  await form.waitFor();
  assert.equal(await field('learningRate').inputValue(), '0.0003');
  assert.equal(await field('warmupSteps').inputValue(), '5');
  assert.equal(await field('denseLrScale').inputValue(), '0.1');
  assert.match(await frame.getByTestId('new-run-source').textContent(), /Your edits, kept while the panel was hidden/);
  await frame.getByTestId('new-run-why').filter({ hasText: `Runs ${STEPS} steps at batch 16, learning rate 0.0003.` }).waitFor();

  // Run, from the keyboard: the run starts with the form's learning rate.
  await run.focus();
  await page.keyboard.press('Enter');
  const badge = frame.getByTestId('run-state');
  await frame.locator('.run-preset').filter({ hasText: 'default preset · He initialisation · batch 16 · lr 0.0003' }).waitFor();
  // While it starts and runs, the form cannot start another.
  await run.and(frame.locator('[disabled]')).waitFor({ state: 'attached' });
  await badge.filter({ hasText: /^finished$/ }).waitFor({ timeout: RUN_BOUND_MS });
  assert.doesNotMatch(extensionLog(server), /dropped a malformed message from the panel/);
  assert.equal(await frame.getByTestId('step-counter').textContent(), `step ${STEPS} / ${STEPS}`);

  // The settings were not written: the file is byte for byte what it was, learning rate unset.
  const settingsAfter = fs.readFileSync(settingsFile, 'utf8');
  assert.equal(settingsAfter, settingsBefore);
  assert.equal(JSON.parse(settingsAfter)['resnetLab.learningRate'], undefined);
  // The run recorded in the store trained exactly the form's config: its values, the settings' for the rest.
  const manifests = runManifests(server.userDataDir);
  assert.equal(manifests.length, 1, 'one run in the store');
  const { config } = manifests[0];
  assert.deepEqual(
    { learningRate: config.learningRate, warmupSteps: config.warmupSteps, denseLrScale: config.denseLrScale, lrSchedule: config.lrSchedule, steps: config.steps, batchSize: config.batchSize, logEvery: config.logEvery, preset: config.preset, init: config.init },
    { learningRate: 0.0003, warmupSteps: 5, denseLrScale: 0.1, lrSchedule: 'constant', steps: STEPS, batchSize: 16, logEvery: 5, preset: 'default', init: 'he' },
  );
  // And the form, not edited since Run, still holds the value the user typed.
  assert.equal(await field('learningRate').inputValue(), '0.0003');
});
