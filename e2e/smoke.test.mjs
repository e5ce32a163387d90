// Smoke test of the e2e harness: code-server + fixture extension + Debian's Chromium.
//   bash e2e/install.sh && node --test e2e/smoke.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  E2E_DIR,
  isAlive,
  killUntilGone,
  launchBrowser,
  notification,
  removeTree,
  runCommand,
  screenshot,
  startCodeServer,
  statusBarItem,
  webviewFrame,
} from './codeServer.mjs';

const FIXTURE = path.join(E2E_DIR, 'fixtures', 'hello-extension');

test('command palette -> webview round trip -> child process -> status bar', async (t) => {
  const server = await startCodeServer({ extensionPath: FIXTURE, name: 'smoke-code-server' });
  t.after(() => server.stop());
  const browser = await launchBrowser(server);
  t.after(() => browser.close());
  const { page } = browser;
  assert.equal(server.extensionId, 'e2e-fixtures.hello-extension');

  await runCommand(page, 'Hello Webview');

  // Text that only appears after extension -> webview -> extension -> child -> extension -> webview.
  const frame = webviewFrame(page, { extensionId: server.extensionId });
  await frame.getByText('Received: Hello from the extension host').waitFor();
  const done = frame.locator('#status');
  await done.getByText(/^Round trip complete: child pid \d+ replied$/).waitFor();
  const childPid = Number(await done.getAttribute('data-child-pid'));
  assert.ok(childPid > 0, 'child pid reported by the webview');
  assert.ok(isAlive(childPid), 'forked child is running');
  assert.ok(server.processes().includes(childPid), 'harness counts the detached grandchild as part of the server');

  const item = statusBarItem(page, `Hello E2E: child ${childPid} replied`);
  await item.waitFor();
  // Also reachable by its entry id: <publisher.name>.<id given to createStatusBarItem>.
  await statusBarItem(page, { id: 'e2e-fixtures.hello-extension.helloE2e.status' }).waitFor();

  await item.click();
  await statusBarItem(page, 'Hello E2E: clicked 1').waitFor();
  await notification(page, 'Hello E2E: status bar clicked 1').waitFor();
  await frame.getByText('Status bar clicks: 1').waitFor();

  const shot = await screenshot(page, 'e2e-smoke.png');
  assert.ok(fs.statSync(shot).size > 0);

  // stop() takes the whole tree down, including the detached grandchild, and removes its temp dir.
  const pids = server.processes();
  assert.ok(pids.length >= 4, `launcher, server, extension host and child are all found: ${pids}`);
  await browser.close();
  await server.stop();
  for (const pid of pids) assert.equal(isAlive(pid), false, `pid ${pid} is gone after stop()`);
  assert.equal(fs.existsSync(server.tempRoot), false, 'temp root removed');
});

test('a test process killed with SIGKILL leaves no code-server process behind', async (t) => {
  // The killed runner cannot remove Playwright's browser profile, so it gets a temp folder of ours.
  const runnerTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'resnet-lab-e2e-runner-'));
  const runner = spawn(process.execPath, [path.join(E2E_DIR, 'fixtures', 'crash-runner.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, TMPDIR: runnerTmp },
  });
  const exited = once(runner, 'exit');
  /** @type {{ rootPid: number, tag: string } | undefined} */
  let server;
  // Whatever happens below, never leave the runner (and so this test file) hanging, and remove
  // runnerTmp only once every process that writes into it is gone: the runner's Chromium keeps
  // writing its profile there for a moment after the runner dies (ENOTEMPTY, seen once in CI).
  t.after(async () => {
    runner.kill('SIGKILL');
    await exited;
    if (server) await killUntilGone(server.rootPid, server.tag);
    await removeTree(runnerTmp);
  });
  const lines = readline.createInterface({ input: /** @type {import('node:stream').Readable} */ (runner.stdout) });
  const first = await Promise.race([once(lines, 'line'), exited.then(() => null)]);
  assert.ok(first, 'crash-runner printed the server pids before exiting');
  const { rootPid, tag, childPid, pids, tempRoot, browserPids } = JSON.parse(String(first[0]));
  server = { rootPid, tag };
  assert.ok(browserPids.length >= 1, `the runner's Chromium is counted among the server's processes: ${browserPids}`);
  assert.ok(pids.length >= 4, `server processes found: ${pids}`);
  // (Not every pid in the snapshot is long-lived: VS Code runs short helpers such as `sleep 1`.)
  assert.ok(isAlive(rootPid), 'code-server alive before the kill');
  assert.ok(isAlive(childPid), 'detached grandchild alive before the kill');

  runner.kill('SIGKILL'); // no exit hooks run: only the watchdog can clean up
  await exited;
  // The watchdog reacts to the closed pipe; give it a generous while (a wait, not a speed check).
  for (let i = 0; i < 600 && (pids.some(isAlive) || fs.existsSync(tempRoot)); i++) await sleep(100);
  for (const pid of [...pids, childPid]) assert.equal(isAlive(pid), false, `pid ${pid} is gone after the runner was killed`);
  for (const pid of browserPids) assert.equal(isAlive(pid), false, `browser pid ${pid} is gone before the temp root was removed`);
  assert.equal(fs.existsSync(tempRoot), false, 'temp root removed by the watchdog');
});
