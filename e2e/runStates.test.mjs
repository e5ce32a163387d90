// End-to-end: every state of a run is shown as it is, with the action that applies (issue 12).
// In a real VS Code (code-server) on real MNIST with the native backend:
//   npm run build && bash e2e/install.sh && node --test e2e/runStates.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { notification, runCommand, screenshot, statusBarItem, webviewFrame, webviewScreenshot } from './codeServer.mjs';
import {
  extensionLog, modalDialog, openResNetLab, quickPickItem, shortRunSettings, stepOf, trainerPids, waitForStepAbove,
} from './resnetLab.mjs';

// Short: batch 16, progress every 5 steps; a validation (5,000 images, seconds each) and a
// checkpoint at step 40, then the final validation, test and checkpoint at step 80.
const STEPS = 80;
const SETTINGS = shortRunSettings({ steps: STEPS, evalEvery: 40, checkpointEvery: 40 });
const CHECKPOINT_STEP = 40;

test('a run\'s phases, a status-bar click that does not stop, a SIGKILL crash naming the resume step, notices that close when the state changes, Stop offered when busy, asked before a resumable run is dropped', async (t) => {
  const { server, page } = await openResNetLab(t, { settings: SETTINGS, name: 'resnet-lab-e2e-states' });

  await runCommand(page, 'ResNet Lab: Train ResNet on MNIST');
  const frame = webviewFrame(page, { extensionId: server.extensionId });
  const badge = frame.getByTestId('run-state');
  await badge.filter({ hasText: /^running$/ }).waitFor();

  // A click on the status bar while training offers Show Panel / Stop Training and stops nothing.
  // The trainer is frozen (SIGSTOP) while the quick pick is open: on a loaded machine the run once
  // reached its last step before the test read the counter, and then no step could follow.
  const [trainerPid] = trainerPids(server);
  process.kill(trainerPid, 'SIGSTOP');
  let stepAtClick;
  try {
    const runningItem = statusBarItem(page, new RegExp(`ResNet \\d+/${STEPS}`));
    await runningItem.click();
    await quickPickItem(page, 'Show Panel').waitFor();
    await quickPickItem(page, 'Stop Training').waitFor();
    await screenshot(page, 'e2e-states-statusbar-quickpick.png');
    stepAtClick = await stepOf(frame);
    await page.keyboard.press('Escape');
  } finally {
    process.kill(trainerPid, 'SIGCONT');
  }
  await waitForStepAbove(frame, stepAtClick);
  assert.equal((await badge.textContent()).startsWith('stopp'), false, 'the click did not stop the run');

  // The validation at step 40: the badge and the status bar say so, with its own progress.
  await badge.filter({ hasText: /^validating 5,000 images… \d+%$/ }).waitFor();
  await statusBarItem(page, new RegExp(`ResNet (40|80)/${STEPS} · validating 5,000 images… \\d+%`)).waitFor();
  await webviewScreenshot(frame, 'e2e-states-validating-panel.png');
  await screenshot(page, 'e2e-states-validating-workbench.png');
  await badge.filter({ hasText: /^running$/ }).waitFor();

  // Past the checkpoint at step 40 (progress reaches the host after the checkpoint's message),
  // the trainer is frozen (SIGSTOP) so that it cannot reach the end of the run before the kill.
  await frame.getByTestId('step-counter').filter({ hasText: /step (4[5-9]|[5-7]\d|80) \// }).waitFor();
  const pids = trainerPids(server);
  assert.equal(pids.length, 1, `one trainer process (${pids.join(', ')})`);
  process.kill(pids[0], 'SIGSTOP');
  const reachedBeforeKill = await stepOf(frame);

  // Closing the panel mid-run: a notice that training goes on in the background.
  const tab = page.locator('.tab').filter({ hasText: 'ResNet Lab' });
  await tab.hover();
  await tab.locator('.codicon-close').click();
  const background = notification(page, 'still training in the background');
  await background.waitFor();
  await screenshot(page, 'e2e-states-background-notice.png');

  // SIGKILL the trainer: the background notice closes (the run no longer trains) and the crash
  // message names the last checkpoint and the steps Resume will redo, cause second.
  process.kill(pids[0], 'SIGKILL');
  const crash = notification(page, /Crashed at step/);
  await crash.waitFor();
  await background.waitFor({ state: 'hidden' });
  const crashText = await crash.textContent();
  const match = crashText.match(new RegExp(`Crashed at step (\\d+)/${STEPS}: last checkpoint at step ${CHECKPOINT_STEP}; steps ${CHECKPOINT_STEP + 1}–(\\d+) will be redone\\. Cause: the trainer process was killed \\(SIGKILL\\)`));
  assert.ok(match, crashText);
  assert.equal(match[1], match[2]);
  assert.ok(Number(match[1]) >= reachedBeforeKill, `crash at ${match[1]} after ${reachedBeforeKill}`);
  await screenshot(page, 'e2e-states-crash-notification.png');

  // The panel tells the same story, and "took" is the run's wall time (a validation alone takes seconds).
  await runCommand(page, 'ResNet Lab: Show Panel');
  await badge.filter({ hasText: /^crashed$/ }).waitFor();
  assert.match(await frame.getByTestId('run-error').textContent(), new RegExp(`last checkpoint at step ${CHECKPOINT_STEP}; steps`));
  const took = (await frame.getByTestId('eta').textContent()).match(/took (?:(\d+)m )?(\d+)s/);
  assert.ok(took, 'took is shown');
  assert.ok(Number(took[1] ?? 0) * 60 + Number(took[2]) >= 5, `took ${took[0]}`);
  await webviewScreenshot(frame, 'e2e-states-crashed-panel.png');

  // Resume from the crash message: back to the checkpoint's step, then on to the end.
  await crash.getByRole('button', { name: 'Resume' }).click();
  await badge.filter({ hasText: /^running$/ }).waitFor();
  await badge.filter({ hasText: /^finished$/ }).waitFor({ timeout: 10 * 60_000 });
  assert.match(extensionLog(server), new RegExp(`training on libtensorflow [\\d.]+ from step ${CHECKPOINT_STEP}\\b`));

  // "Training finished" is a notice of the moment: a new run closes it.
  const finished = notification(page, new RegExp(`training finished at step ${STEPS}, test accuracy \\d+\\.\\d+% \\(took `));
  await finished.waitFor();
  await screenshot(page, 'e2e-states-finished-notice.png');
  await runCommand(page, 'ResNet Lab: Train ResNet on MNIST');
  await finished.waitFor({ state: 'hidden' });
  await badge.filter({ hasText: /^(starting|running)$/ }).waitFor();
  await screenshot(page, 'e2e-states-finished-notice-closed.png');

  // Train while this run goes on: the refusal offers Stop Training, which stops at a checkpoint.
  await waitForStepAbove(frame, 4);
  await runCommand(page, 'ResNet Lab: Train ResNet on MNIST');
  const busy = notification(page, 'A training run is already in progress. Stop it first.');
  await busy.waitFor();
  await screenshot(page, 'e2e-states-busy-offers-stop.png');
  await busy.getByRole('button', { name: 'Stop Training' }).click();
  // It ends stopped, or (only if it hung) crashed: say which, and why.
  await badge.filter({ hasText: /^(stopped|crashed)$/ }).waitFor({ timeout: 10 * 60_000 });
  assert.equal(await badge.textContent(), 'stopped', await frame.getByTestId('run-error').textContent());
  const stoppedAt = await stepOf(frame);
  const stopped = notification(page, `Stopped at step ${stoppedAt}/${STEPS}: Resume continues from step ${stoppedAt}; nothing is lost.`);
  await stopped.waitFor();

  // Train again: the stopped run is resumable, so the user is asked before it is dropped.
  await runCommand(page, 'ResNet Lab: Train ResNet on MNIST');
  const dialog = modalDialog(page);
  await dialog.waitFor();
  assert.match(await dialog.textContent(), new RegExp(`The last run can be resumed from step ${stoppedAt}/${STEPS}\\. Start a new run instead\\?`));
  await screenshot(page, 'e2e-states-ask-before-dropping.png');
  await dialog.getByRole('button', { name: 'Resume Last Run' }).click();
  await badge.filter({ hasText: /^running$/ }).waitFor();
  await stopped.waitFor({ state: 'hidden' });
  assert.match(extensionLog(server), new RegExp(`training on libtensorflow [\\d.]+ from step ${stoppedAt}\\b`));
});

test('a wrong-type setting is listed one problem per line and opened in settings.json at its key', async (t) => {
  const settings = { 'resnetLab.steps': 'abc', 'resnetLab.batchSize': 0 };
  const { server, page } = await openResNetLab(t, { settings, name: 'resnet-lab-e2e-settings', viewport: { width: 1400, height: 900 } });

  await runCommand(page, 'ResNet Lab: Train ResNet on MNIST');
  const dialog = modalDialog(page);
  await dialog.waitFor();
  assert.match(await dialog.locator('.dialog-message-text').textContent(), /ResNet Lab cannot start: 2 settings are invalid\./);
  const detail = await dialog.locator('.dialog-message-detail').innerText();
  assert.deepEqual(detail.split('\n'), [
    'resnetLab.steps: steps must be a number (got "abc")',
    'resnetLab.batchSize: batchSize must be at least 1 and at most 4096 (got 0)',
  ]);
  await screenshot(page, 'e2e-settings-problems-dialog.png');

  await dialog.getByRole('button', { name: 'Open settings.json' }).click();
  // The user settings file opens with the bad value selected: the cursor is on the key's line.
  const file = path.join(server.userDataDir, 'User', 'settings.json');
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes('"resnetLab.steps"')) + 1;
  const column = lines[line - 1].indexOf('"abc"') + 1;
  await page.locator('.tab.active').filter({ hasText: 'settings.json' }).waitFor();
  // The selection ends after the value; the status bar shows where it is and how much is selected.
  await page.locator('#status\\.editor\\.selection').filter({ hasText: `Ln ${line}, Col ${column + '"abc"'.length} (5 selected)` }).waitFor();
  await screenshot(page, 'e2e-settings-opened-at-key.png');

  // Reset to Default removes both invalid values from the file.
  await runCommand(page, 'ResNet Lab: Train ResNet on MNIST');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Reset to Default' }).click();
  await notification(page, 'ResNet Lab: resnetLab.steps, resnetLab.batchSize reset to default.').waitFor();
  const saved = fs.readFileSync(file, 'utf8');
  assert.doesNotMatch(saved, /resnetLab\.(steps|batchSize)/);
  assert.match(saved, /"workbench\.startupEditor": "none"/, 'the other settings are kept');
  // No run was started.
  assert.doesNotMatch(extensionLog(server), /starting default run/);
});
