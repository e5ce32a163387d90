// End-to-end harness: runs a real VS Code (code-server 4.100.3 = VS Code 1.100.3)
// on 127.0.0.1 with an unpackaged extension folder installed, and drives it from
// Debian's Chromium through playwright-core.
//
// Plain ESM + JSDoc, no build step. Install its dependencies with `bash e2e/install.sh`.
//
//   import { REPO_ROOT, startCodeServer, launchBrowser, runCommand, webviewFrame, statusBarItem } from './codeServer.mjs';
//   const server = await startCodeServer({ extensionPath: REPO_ROOT, name: 'my-test' });
//   const { page, close } = await launchBrowser(server);
//   await runCommand(page, 'ResNet Lab: Open');
//   await webviewFrame(page, { extensionId: server.extensionId }).getByText('Epoch').waitFor();
//   await statusBarItem(page, /ResNet Lab/).click();
//   await close(); await server.stop();
//
// This file is the harness's one import for tests; each job lives in its own file in harness/:
//   paths.mjs        where things are (repo, test-results/, code-server) and the default wait
//   server.mjs       start/stop one code-server with its own temp root, exit hooks
//   processTree.mjs  find and kill every process of a server (tree, process group, env tag)
//   watchdog.mjs     the process that cleans up if the test process dies without stopping
//   browser.mjs      Chromium via playwright-core, opened on the workbench
//   workbench.mjs    command palette, webview frames, status bar, notifications
//   screenshots.mjs  page and webview screenshots into test-results/

export { CODE_SERVER_ENTRY, DEFAULT_WAIT_MS, E2E_DIR, REPO_ROOT, TEST_RESULTS_DIR } from './harness/paths.mjs';
export { DEFAULT_SETTINGS, startCodeServer } from './harness/server.mjs';
export { isAlive, killUntilGone, removeTree } from './harness/processTree.mjs';
export { CHROMIUM_ARGS, CHROMIUM_PATH, launchBrowser } from './harness/browser.mjs';
export { notification, runCommand, statusBarItem, waitForWorkbench, webviewFrame } from './harness/workbench.mjs';
export { screenshot, webviewScreenshot } from './harness/screenshots.mjs';
