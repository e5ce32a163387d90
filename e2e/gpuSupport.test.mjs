// End-to-end: "ResNet Lab: Install GPU Support" in a real VS Code (code-server), and a
// tensorflow-gpu run on a machine without a GPU (this one, CI).
//   npm run build && bash e2e/install.sh && node --test e2e/gpuSupport.test.mjs
// The first test needs the GPU build provisioned (`npm run setup -- --gpu`, as CI does): the
// command then finds it working and only reuses it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT, launchBrowser, notification, runCommand, screenshot, startCodeServer } from './codeServer.mjs';

// The extension's own computation of where the GPU build lives (built by `npm run build`).
const { cacheRoot, gpuBuildLayout } = createRequire(import.meta.url)(path.join(REPO_ROOT, 'out', 'shared', 'gpuTensorflowBuild.js'));
const gpuBuildRoot = gpuBuildLayout(cacheRoot(process.env, os.homedir())).root;
// Skipped for a developer who ran plain `npm run setup`; CI (CI=true) provisions it and fails without it.
const notProvisioned = !fs.existsSync(path.join(gpuBuildRoot, '.complete')) && process.env.CI !== 'true'
  ? `the GPU build is not provisioned in ${gpuBuildRoot}: run \`npm run setup -- --gpu\`` : false;

test('Install GPU Support reuses the provisioned build and switches the backend; a tensorflow-gpu run without a GPU stops with its one-line reason', { skip: notProvisioned }, async (t) => {
  const server = await startCodeServer({ extensionPath: REPO_ROOT, settings: { 'resnetLab.steps': 5 }, name: 'resnet-lab-e2e-gpu' });
  t.after(() => server.stop());
  const browser = await launchBrowser(server);
  t.after(() => browser.close());
  const { page } = browser;

  await runCommand(page, 'ResNet Lab: Install GPU Support');
  const installed = notification(page, 'ResNet Lab: GPU support is installed. Train on the GPU from now on?');
  await installed.waitFor();
  await installed.getByRole('button', { name: 'Use tensorflow-gpu' }).click();
  await notification(page, 'ResNet Lab: the backend is now tensorflow-gpu').waitFor();
  const settings = JSON.parse(fs.readFileSync(path.join(server.userDataDir, 'User', 'settings.json'), 'utf8'));
  assert.equal(settings['resnetLab.backend'], 'tensorflow-gpu');

  await runCommand(page, 'ResNet Lab: Train ResNet on MNIST');
  // The trainer refuses before the first step; the one line says why, not a stack trace.
  const crashed = notification(page, 'ResNet Lab: Failed before the first step: no checkpoint was written yet, so nothing can be resumed. Cause: The "tensorflow-gpu" backend cannot run: no NVIDIA driver: libcuda.so.1 could not be loaded');
  await crashed.waitFor();
  const text = await crashed.locator('.notification-list-item-message').textContent();
  assert.match(text, /CUDA 12 needs the NVIDIA driver 525\.60\.13 or newer; `?nvidia-smi`? must list your GPU\.$/);
  assert.doesNotMatch(text, /\n\s+at /, 'no stack trace');
  await screenshot(page, 'e2e-gpu-no-driver.png');
});

test('Cancel on the Install GPU Support notification stops the download and leaves nothing half-made', async (t) => {
  // An empty cache, so the command really starts downloading.
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'resnet-lab-e2e-gpu-cache-'));
  t.after(() => fs.rmSync(cache, { recursive: true, force: true }));
  const server = await startCodeServer({ extensionPath: REPO_ROOT, env: { RESNET_LAB_CACHE: cache }, name: 'resnet-lab-e2e-gpu-cancel' });
  t.after(() => server.stop());
  const browser = await launchBrowser(server);
  t.after(() => browser.close());
  const { page } = browser;

  await runCommand(page, 'ResNet Lab: Install GPU Support');
  const progress = notification(page, /downloading tensorflow==2\.20\.0/);
  await progress.waitFor();
  // The download is under way: its temporary folder exists in the server's temp folder.
  const serverTmp = path.join(server.tempRoot, 'tmp');
  assert.ok(fs.readdirSync(serverTmp).some((name) => name.startsWith('resnet-lab-wheel-')), 'a download folder while downloading');
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await notification(page, 'ResNet Lab: GPU support was not installed (cancelled); nothing was left half-made.').waitFor();
  // The script has exited (the notification follows its exit): no download folder, no partial build.
  assert.deepEqual(fs.readdirSync(serverTmp).filter((name) => name.startsWith('resnet-lab-wheel-')), []);
  assert.deepEqual(fs.readdirSync(cache), []);
});
