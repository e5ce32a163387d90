// End-to-end: the real ResNet Lab extension in a real VS Code (code-server 4.100.3), driven from
// Chromium. Trains a short run on real MNIST with the native backend:
//   npm run build && bash e2e/install.sh && node --test e2e/extension.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { TEST_RESULTS_DIR, runCommand, screenshot, statusBarItem, webviewFrame, webviewScreenshot } from './codeServer.mjs';
import { extensionLog, openResNetLab, quickPickItem, shortRunSettings, stepOf } from './resnetLab.mjs';

// A few hundred steps keep the test to minutes: batch 16, progress every 5 steps.
const STEPS = 240;
const SETTINGS = shortRunSettings({ steps: STEPS, evalEvery: 120 });

const EXPECTED_SHAPES = {
  input: '28×28×1', stem: '14×14×64', pool1: '14×14×64', res2a: '14×14×256', res2b: '14×14×256', res2c: '14×14×256',
  pool2: '7×7×256', flatten: '12544', fc1: '1024', dropout: '1024', fc2: '10',
};

test('Train ResNet on MNIST: diagram, inspector, live accuracy, stop and resume from the status bar, test accuracy', async (t) => {
  const started = Date.now();
  const { server, page } = await openResNetLab(t, { settings: SETTINGS, name: 'resnet-lab-e2e' });

  await runCommand(page, 'ResNet Lab: Train ResNet on MNIST');
  const frame = webviewFrame(page, { extensionId: server.extensionId });

  // The diagram is the real model's, with every block's output shape.
  await frame.getByTestId('diagram').waitFor();
  for (const [id, shape] of Object.entries(EXPECTED_SHAPES)) {
    await frame.getByTestId(`shape-${id}`).filter({ hasText: shape }).waitFor();
    assert.equal((await frame.getByTestId(`shape-${id}`).textContent()).trim(), shape, `${id} shape`);
  }

  // Clicking res2a shows its layers, including the 1×1 64→256 projection shortcut.
  await frame.getByTestId('block-res2a').click();
  const inspector = frame.getByTestId('inspector');
  await inspector.getByText(/projection/i).first().waitFor();
  const inspectorText = await inspector.textContent();
  assert.match(inspectorText, /res2a\/shortcut/);
  assert.match(inspectorText, /1×1\/1 valid, 64→256/);
  assert.match(inspectorText, /res2a\/conv2/);

  // Accuracy updates arrive while training runs.
  await frame.getByTestId('run-state').filter({ hasText: /^running$/ }).waitFor();
  await frame.getByTestId('batch-accuracy').filter({ hasText: /\d+(\.\d+)?%/ }).waitFor();
  await frame.getByTestId('step-counter').filter({ hasText: new RegExp(`step (1\\d|[2-9]\\d) / ${STEPS}`) }).waitFor();
  // Live weights of the selected block arrive from the trainer.
  await inspector.getByText('res2a/shortcut/kernel').first().waitFor();
  await webviewScreenshot(frame, 'e2e-panel-running.png');

  // The status bar item shows the run; its click offers Stop Training, which stops at a checkpoint.
  const running = statusBarItem(page, new RegExp(`ResNet \\d+/${STEPS}`));
  await running.waitFor();
  await running.click();
  await quickPickItem(page, 'Stop Training').click();
  const resumeItem = statusBarItem(page, 'Resume ResNet');
  await resumeItem.waitFor();
  await frame.getByTestId('run-state').filter({ hasText: /^stopped$/ }).waitFor();
  const stoppedAt = await stepOf(frame);
  assert.ok(stoppedAt > 0 && stoppedAt < STEPS, `stopped mid-run at step ${stoppedAt}`);
  await webviewScreenshot(frame, 'e2e-panel-stopped.png');

  // Resume continues from the same step.
  await resumeItem.click();
  await frame.getByTestId('run-state').filter({ hasText: /^running$/ }).waitFor();
  await frame.getByTestId('step-counter').filter({ hasText: new RegExp(`step (\\d+) / ${STEPS}`) }).waitFor();
  assert.ok((await stepOf(frame)) >= stoppedAt, 'the step counter never goes back');
  await statusBarItem(page, new RegExp(`ResNet \\d+/${STEPS}`)).waitFor();

  // The run finishes with a test accuracy in the panel.
  await frame.getByTestId('run-state').filter({ hasText: /^finished$/ }).waitFor({ timeout: 30 * 60_000 });
  const testAccuracy = frame.getByTestId('test-accuracy');
  await testAccuracy.filter({ hasText: /\d+\.\d+%/ }).waitFor();
  const accuracy = Number((await testAccuracy.textContent()).match(/(\d+\.\d+)%/)[1]);
  assert.ok(accuracy > 50 && accuracy <= 100, `test accuracy ${accuracy}%`);
  assert.equal(await stepOf(frame), STEPS);
  // A finished trainer stays up to answer the inspector: fc2's live weights arrive.
  await frame.getByTestId('block-fc2').click();
  await inspector.getByText('fc2/dense/kernel').first().waitFor();
  await webviewScreenshot(frame, 'e2e-panel-finished.png');
  await screenshot(page, 'e2e-workbench-finished.png');

  // The extension's log tells the same story: resumed from exactly the stopped step.
  const log = extensionLog(server);
  assert.match(log, new RegExp(`run stopped at step ${stoppedAt}:`));
  assert.match(log, new RegExp(`training on libtensorflow [\\d.]+ from step ${stoppedAt}\\b`));
  assert.match(log, new RegExp(`run finished at step ${STEPS}:.*test accuracy`));
  const imagesPerSec = [...log.matchAll(/run finished at step \d+: ([\d.]+) images\/s/g)].map((m) => Number(m[1]));
  fs.writeFileSync(path.join(TEST_RESULTS_DIR, 'e2e-summary.json'), JSON.stringify({
    wallSec: (Date.now() - started) / 1000, stoppedAt, steps: STEPS, testAccuracy: accuracy, imagesPerSecAfterResume: imagesPerSec.at(-1) ?? null,
  }, null, 2));
});
