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
// Everything a server creates lives in one temporary root (user data, extensions dir,
// default workspace, config.yaml, XDG_DATA_HOME/XDG_CONFIG_HOME, browser scratch),
// removed by stop(); logs and screenshots go to <repo>/test-results/. stop() kills the
// whole process tree (process group + /proc descendants + an env tag, so detached and
// setsid'd grandchildren such as terminal shells are caught too); a watchdog process does
// the same if the test process dies without calling stop().

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

/** Folder of this file (`<repo>/e2e`). */
export const E2E_DIR = path.dirname(fileURLToPath(import.meta.url));
/** Root of the repository. */
export const REPO_ROOT = path.resolve(E2E_DIR, '..');
/** Where logs and screenshots go (git-ignored). */
export const TEST_RESULTS_DIR = path.join(REPO_ROOT, 'test-results');
/** code-server's CLI entry point inside e2e/node_modules. */
export const CODE_SERVER_ENTRY = path.join(E2E_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
/** Debian's Chromium (Playwright's own browser download is unreachable here). Override with $E2E_CHROMIUM. */
export const CHROMIUM_PATH = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
/** Generous default for every wait in this module (ms). A wait, never a speed assertion. */
export const DEFAULT_WAIT_MS = 120_000;

/** Chromium flags that work on this headless, sandbox-less, offline machine. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** Environment variable carrying a per-server tag, used to find every descendant at stop(). */
const TAG_VAR = 'RESNET_LAB_E2E_TAG';

/** User settings written before code-server starts; `settings` passed to startCodeServer() override them. */
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
};

/** @type {Set<{ kill: () => void }>} servers still running; killed if the test process exits abruptly. */
const live = new Set();
let exitHooksInstalled = false;
function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const s of live) s.kill();
  });
  for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.once(sig, () => {
      for (const s of live) s.kill();
      process.kill(process.pid, sig); // listener removed by once(): default action now
    });
  }
}

/**
 * @typedef {object} StartOptions
 * @property {string} [extensionPath] Folder of an extension to install (its package.json must have publisher, name, version;
 *   `main` must already be built). It is symlinked, not packaged, into the extensions dir as `publisher.name-version`.
 * @property {string} [extensionId] `publisher.name`; read from the extension's package.json when omitted.
 * @property {string} [workspaceDir] Folder to open. A fresh empty temp folder (removed by stop()) when omitted.
 * @property {Record<string, string | undefined>} [env] Extra environment for code-server and so for the extension host
 *   (undefined deletes a variable).
 * @property {Record<string, unknown>} [settings] User settings merged over DEFAULT_SETTINGS.
 * @property {string[]} [args] Extra code-server CLI arguments.
 * @property {string} [name] Log file name: test-results/<name>.log (default 'code-server'; `-2`, `-3`... is appended
 *   when a name is reused within this process). Give concurrently running test files distinct names.
 * @property {number} [waitMs] How long to wait for the HTTP server to answer (default DEFAULT_WAIT_MS).
 * @property {boolean} [keepTemp] Keep the temporary root after stop() (for debugging; also $E2E_KEEP_TEMP=1).
 */

/**
 * @typedef {object} CodeServer
 * @property {string} name Name used for its log files (the `name` option, made unique within this process).
 * @property {string} url Base URL, e.g. http://127.0.0.1:39123 (no trailing slash).
 * @property {string} workbenchUrl URL of the workbench with the workspace folder open (`/?folder=...`).
 * @property {number} port
 * @property {number} pid Pid of the code-server launcher (also its process group id).
 * @property {string} tempRoot Temporary root holding all of the below unless given.
 * @property {string} userDataDir
 * @property {string} extensionsDir
 * @property {string} workspaceDir
 * @property {string} logFile code-server's stdout+stderr.
 * @property {string} logsDir VS Code's own logs (extension host, exthost output channels): `<userDataDir>/logs`.
 * @property {string | undefined} extensionId
 * @property {string} tag Value of $RESNET_LAB_E2E_TAG in every process of this server, and of the browsers
 *   launchBrowser() opens on it, so stop() and the watchdog find them all.
 * @property {() => number[]} processes Pids of every live process belonging to this server (tree, group, tag).
 * @property {() => Promise<void>} stop Kill code-server and its whole process tree, wait until all are gone, remove temp files.
 */

/**
 * Starts code-server on a free 127.0.0.1 port with its own user-data dir and extensions dir,
 * optionally with one extension folder installed, and waits until its HTTP server answers.
 *
 * @param {StartOptions} [opts]
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer(opts = {}) {
  if (!fs.existsSync(CODE_SERVER_ENTRY)) {
    throw new Error(`code-server is not installed (${CODE_SERVER_ENTRY}); run: bash e2e/install.sh`);
  }
  const name = opts.name ?? 'code-server';
  const waitMs = opts.waitMs ?? DEFAULT_WAIT_MS;
  const tempRoot = await fsp.mkdtemp(path.join(os.tmpdir(), 'resnet-lab-e2e-'));
  const userDataDir = path.join(tempRoot, 'user-data');
  const extensionsDir = path.join(tempRoot, 'extensions');
  const workspaceDir = opts.workspaceDir ? path.resolve(opts.workspaceDir) : path.join(tempRoot, 'workspace');
  await fsp.mkdir(path.join(userDataDir, 'User'), { recursive: true });
  await fsp.mkdir(extensionsDir, { recursive: true });
  await fsp.mkdir(workspaceDir, { recursive: true });
  await fsp.mkdir(path.join(tempRoot, 'tmp'));
  await fsp.writeFile(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...(opts.settings ?? {}) }, null, 2),
  );

  let extensionId = opts.extensionId;
  if (opts.extensionPath) {
    const extPath = path.resolve(opts.extensionPath);
    const pkg = JSON.parse(await fsp.readFile(path.join(extPath, 'package.json'), 'utf8'));
    extensionId ??= `${pkg.publisher}.${pkg.name}`;
    await fsp.symlink(extPath, path.join(extensionsDir, `${extensionId}-${pkg.version}`), 'dir');
  }

  await fsp.mkdir(TEST_RESULTS_DIR, { recursive: true });
  const logName = uniqueName(name);
  const logFile = path.join(TEST_RESULTS_DIR, `${logName}.log`);
  const logFd = fs.openSync(logFile, 'w');
  const tag = randomBytes(12).toString('hex');

  /** @type {NodeJS.ProcessEnv} */
  const env = {
    ...process.env,
    // code-server writes coder-logs/ and a default config under these; keep them in tempRoot.
    XDG_DATA_HOME: path.join(tempRoot, 'xdg-data'),
    XDG_CONFIG_HOME: path.join(tempRoot, 'xdg-config'),
    // VS Code leaves its IPC sockets (vscode-ipc-*.sock, vscode-git-*.sock) in the temp folder.
    TMPDIR: path.join(tempRoot, 'tmp'),
    // Never attach to a code-server/VS Code that launched this test (integrated terminal).
    VSCODE_IPC_HOOK_CLI: '',
    ...(opts.env ?? {}),
    [TAG_VAR]: tag,
  };
  // node --test marks its children with NODE_TEST_CONTEXT; the extension host must not inherit it.
  delete env.NODE_TEST_CONTEXT;
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];

  const args = [
    CODE_SERVER_ENTRY,
    '--auth', 'none',
    // Port 0: the kernel picks a free port (no race); it is read back from the log.
    '--bind-addr', '127.0.0.1:0',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--config', path.join(tempRoot, 'config.yaml'),
    '--disable-workspace-trust',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(opts.args ?? []),
    workspaceDir,
  ];
  fs.writeSync(logFd, `$ ${process.execPath} ${args.join(' ')}\n`);
  // detached: own process group (pgid = pid), so stop() can signal the whole group.
  const child = spawn(process.execPath, args, { cwd: workspaceDir, env, detached: true, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  const pid = /** @type {number} */ (child.pid);
  let exited = /** @type {null | { code: number | null, signal: string | null }} */ (null);
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });
  child.unref();

  const keepTemp = opts.keepTemp ?? process.env.E2E_KEEP_TEMP === '1';
  // Last line of defence if this test process dies without running stop() or its exit hooks
  // (SIGKILL, crash): a watchdog in its own process group holds a pipe from us and kills the
  // server's processes when that pipe closes.
  const watchdog = spawn(process.execPath, [fileURLToPath(import.meta.url), '--watchdog', String(pid), tag, keepTemp ? '' : tempRoot], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    env: { PATH: process.env.PATH },
  });
  watchdog.unref();
  /** @type {import('node:net').Socket} */ (/** @type {unknown} */ (watchdog.stdin)).unref();

  // Used by the exit/signal hooks; the watchdog then sees our pipe close and removes tempRoot.
  const handle = { kill: () => killAllSync(pid, tag, 'SIGKILL') };
  live.add(handle);
  installExitHooks();

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // The child is unref'd so a forgotten server cannot keep the test process alive; while we wait
    // for its exit event it must count, or the event loop can empty first ("Promise resolution is
    // still pending but the event loop has already resolved", seen in CI).
    child.ref();
    await killTree(pid, tag, exitPromise);
    live.delete(handle);
    watchdog.kill('SIGKILL');
    if (!keepTemp) await removeTree(tempRoot);
  };

  let port = 0;
  let url = '';
  try {
    port = await waitForPort(logFile, waitMs, () => exited);
    url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/healthz`, waitMs, () => exited);
  } catch (err) {
    await stop();
    throw new Error(`${/** @type {Error} */ (err).message}\n--- ${logFile} (tail) ---\n${tail(logFile)}`);
  }

  return {
    name: logName,
    url,
    workbenchUrl: `${url}/?folder=${encodeURIComponent(workspaceDir)}`,
    port,
    pid,
    tempRoot,
    userDataDir,
    extensionsDir,
    workspaceDir,
    logFile,
    logsDir: path.join(userDataDir, 'logs'),
    extensionId,
    tag,
    processes: () => serverPids(pid, tag),
    stop,
  };
}

/**
 * @typedef {object} BrowserOptions
 * @property {string} [url] Page to open; default: the server's workbenchUrl.
 * @property {{ width: number, height: number }} [viewport] Default 1400x900.
 * @property {boolean} [headless] Default true ($E2E_HEADED=1 turns it off, needs a display).
 * @property {number} [waitMs] Default timeout for Playwright actions/waits on this page (default DEFAULT_WAIT_MS).
 * @property {string} [name] Browser console log: test-results/<name>.console.log (default '<server name>-browser').
 */

/**
 * Launches Debian's Chromium, opens the workbench and waits until it is ready: the workbench is
 * rendered, the status bar is visible, and the window is connected to the server's extension host.
 * Browser console messages and page errors are written to test-results/<name>.console.log.
 *
 * @param {Pick<CodeServer, 'workbenchUrl'> & Partial<CodeServer> | string} server a CodeServer, or a URL
 * @param {BrowserOptions} [opts]
 * @returns {Promise<{ browser: import('playwright-core').Browser, context: import('playwright-core').BrowserContext,
 *   page: import('playwright-core').Page, consoleLog: string, close: () => Promise<void> }>}
 */
export async function launchBrowser(server, opts = {}) {
  const { chromium } = await import('playwright-core');
  const url = opts.url ?? (typeof server === 'string' ? server : server.workbenchUrl);
  const waitMs = opts.waitMs ?? DEFAULT_WAIT_MS;
  // Inside the server's temp root when there is one, so a crashed test leaves nothing behind.
  const scratchParent = typeof server === 'string' || !server.tempRoot ? os.tmpdir() : server.tempRoot;
  const scratch = await fsp.mkdtemp(path.join(scratchParent, 'resnet-lab-e2e-browser-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: opts.headless ?? process.env.E2E_HEADED !== '1',
    args: CHROMIUM_ARGS,
    env: {
      ...process.env,
      // Chromium writes crash reports / dconf under these otherwise ($HOME/.config, $HOME/.cache).
      XDG_CONFIG_HOME: path.join(scratch, 'config'),
      XDG_CACHE_HOME: path.join(scratch, 'cache'),
      // The browser counts as one of the server's processes: if this test process is killed, the
      // watchdog kills Chromium too and waits for it before removing the temp root, instead of
      // racing a browser that is still writing its profile (ENOTEMPTY, seen once in CI).
      ...(typeof server === 'string' || !server.tag ? {} : { [TAG_VAR]: server.tag }),
    },
  });
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
  context.setDefaultTimeout(waitMs);
  const page = await context.newPage();

  await fsp.mkdir(TEST_RESULTS_DIR, { recursive: true });
  const consoleName = opts.name ?? (typeof server === 'string' || !server.name ? 'browser' : `${server.name}-browser`);
  const consoleLog = path.join(TEST_RESULTS_DIR, `${consoleName}.console.log`);
  const out = fs.createWriteStream(consoleLog);
  page.on('console', (m) => out.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => out.write(`[pageerror] ${e.stack ?? e.message}\n`));

  const close = async () => {
    await browser.close().catch(() => {});
    out.end();
    await removeTree(scratch);
  };
  const logFile = typeof server === 'string' ? undefined : server.logFile;
  const hostsBefore = logFile ? countExtensionHostLaunches(logFile) : 0;
  try {
    await page.goto(url);
    await waitForWorkbench(page, waitMs);
    // The server logs "Launched Extension Host Process" when this window's (Node) extension host is up.
    if (logFile) {
      const deadline = Date.now() + waitMs;
      while (countExtensionHostLaunches(logFile) <= hostsBefore) {
        if (Date.now() > deadline) throw new Error(`no extension host was launched for ${url} (see ${logFile})`);
        await sleep(100);
      }
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { browser, context, page, consoleLog, close };
}

/**
 * Waits until the workbench is rendered (workbench and status bar visible).
 * launchBrowser() already calls it (and also waits for the extension host); call it again after a page.reload().
 *
 * @param {import('playwright-core').Page} page
 * @param {number} [waitMs]
 */
export async function waitForWorkbench(page, waitMs = DEFAULT_WAIT_MS) {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: waitMs });
  await page.locator('#workbench\\.parts\\.statusbar').waitFor({ state: 'visible', timeout: waitMs });
}

/**
 * Runs a command from the command palette: F1, type the title, wait until an entry whose label
 * is exactly `title` is listed, Enter. Retries (Escape + F1 again) while the command is not yet
 * registered, e.g. before the extension host has scanned the extension, until `waitMs`.
 *
 * @param {import('playwright-core').Page} page
 * @param {string} title the command's title as shown in the palette, including its category if any ("ResNet Lab: Open")
 * @param {{ waitMs?: number }} [opts]
 */
export async function runCommand(page, title, opts = {}) {
  const waitMs = opts.waitMs ?? DEFAULT_WAIT_MS;
  const deadline = Date.now() + waitMs;
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  const row = widget.locator('.quick-input-list .monaco-list-row').filter({
    has: page.locator('.quick-input-list-label .label-name', { hasText: exactText(title) }),
  });
  for (let attempt = 1; ; attempt++) {
    await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
    if (!(await widget.isVisible())) await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: Math.max(1, deadline - Date.now()) });
    await input.fill(`>${title}`);
    try {
      // Short poll per attempt: the palette does not refresh when commands register later.
      await row.first().waitFor({ state: 'visible', timeout: Math.min(5_000, Math.max(1, deadline - Date.now())) });
    } catch (err) {
      if (Date.now() >= deadline) {
        throw new Error(`runCommand: no command titled ${JSON.stringify(title)} in the palette after ${attempt} attempts`);
      }
      await page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden' }).catch(() => {});
      await sleep(500);
      continue;
    }
    // Make the exact match the focused entry, then run it.
    await row.first().click();
    await widget.waitFor({ state: 'hidden' }).catch(() => {});
    return;
  }
}

/**
 * The content frame of a webview (panel or view). VS Code nests two iframes: the outer
 * `iframe.webview` (class `ready` once loaded; its src carries `extensionId=publisher.name`)
 * hosts `#active-frame`, which holds the extension's HTML.
 *
 * @param {import('playwright-core').Page} page
 * @param {{ extensionId?: string, nth?: number }} [opts] pick among several webviews
 * @returns {import('playwright-core').FrameLocator}
 */
export function webviewFrame(page, opts = {}) {
  let sel = 'iframe.webview.ready';
  if (opts.extensionId) sel += `[src*="extensionId=${opts.extensionId}"]`;
  const outer = page.locator(sel);
  const pick = opts.nth === undefined ? outer.filter({ visible: true }).first() : outer.nth(opts.nth);
  return pick.contentFrame().frameLocator('#active-frame');
}

/**
 * A status bar entry (the clickable `.statusbar-item`), by its visible text or by entry id.
 * An extension's item created with `createStatusBarItem(id, ...)` has the DOM id `publisher.name.id`.
 *
 * @param {import('playwright-core').Page} page
 * @param {string | RegExp | { id: string }} which text (substring), regex, or `{ id }`
 * @returns {import('playwright-core').Locator}
 */
export function statusBarItem(page, which) {
  const items = page.locator('#workbench\\.parts\\.statusbar .statusbar-item');
  if (typeof which === 'object' && !(which instanceof RegExp)) {
    return page.locator(`#workbench\\.parts\\.statusbar [id="${which.id}"]`);
  }
  return items.filter({ has: page.locator('.statusbar-item-label', { hasText: which }) });
}

/**
 * A notification toast by text (substring or regex).
 *
 * @param {import('playwright-core').Page} page
 * @param {string | RegExp} text
 * @returns {import('playwright-core').Locator}
 */
export function notification(page, text) {
  return page.locator('.notifications-toasts .notification-toast').filter({ hasText: text });
}

/**
 * Screenshot of the whole page into test-results/.
 *
 * @param {import('playwright-core').Page} page
 * @param {string} fileName e.g. 'e2e-smoke.png'
 * @returns {Promise<string>} the absolute path written
 */
export async function screenshot(page, fileName) {
  const file = path.join(TEST_RESULTS_DIR, fileName);
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, animations: 'disabled' });
  return file;
}

/**
 * Screenshot of a webview's content (its body, as far as the webview shows it, or one element of
 * it) into test-results/.
 *
 * @param {import('playwright-core').FrameLocator | import('playwright-core').Locator} frame from webviewFrame(), or a locator in it
 * @param {string} fileName e.g. 'e2e-panel-running.png'
 * @returns {Promise<string>} the absolute path written
 */
export async function webviewScreenshot(frame, fileName) {
  const file = path.join(TEST_RESULTS_DIR, fileName);
  await fsp.mkdir(path.dirname(file), { recursive: true });
  // A frame's whole page, or one element of it.
  const target = 'screenshot' in frame ? frame : frame.locator('body');
  await target.screenshot({ path: file, animations: 'disabled' });
  return file;
}

/**
 * Whether a process exists (and is not a zombie).
 * @param {number} pid
 */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const st = readStat(pid);
  return !!st && st.state !== 'Z' && st.state !== 'X';
}

// ---------------------------------------------------------------- internals

/** @param {string} text */
function exactText(text) {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/** @type {Set<string>} */
const usedNames = new Set();
/** @param {string} name */
function uniqueName(name) {
  let candidate = name;
  for (let i = 2; usedNames.has(candidate); i++) candidate = `${name}-${i}`;
  usedNames.add(candidate);
  return candidate;
}

/**
 * Reads the port back from code-server's "HTTP server listening on http://127.0.0.1:PORT/" line.
 * @param {string} logFile
 * @param {number} waitMs
 * @param {() => unknown} exited
 * @returns {Promise<number>}
 */
async function waitForPort(logFile, waitMs, exited) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(fs.readFileSync(logFile, 'utf8'));
    if (m) return Number(m[1]);
    const ex = exited();
    if (ex) throw new Error(`code-server exited before listening: ${JSON.stringify(ex)}`);
    if (Date.now() > deadline) throw new Error(`code-server did not report its port within ${waitMs} ms`);
    await sleep(100);
  }
}

/**
 * @param {string} url
 * @param {number} waitMs
 * @param {() => unknown} exited
 */
async function waitForHttp(url, waitMs, exited) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const ex = exited();
    if (ex) throw new Error(`code-server exited before answering ${url}: ${JSON.stringify(ex)}`);
    const status = await new Promise((resolve) => {
      const req = http.get(url, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', () => resolve(0));
      req.setTimeout(5_000, () => req.destroy());
    });
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`code-server did not answer ${url} within ${waitMs} ms`);
    await sleep(200);
  }
}

/** @param {string} logFile */
function countExtensionHostLaunches(logFile) {
  try {
    return fs.readFileSync(logFile, 'utf8').split('Launched Extension Host Process').length - 1;
  } catch {
    return 0;
  }
}

/** @param {string} file */
function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * @param {number} pid
 * @returns {{ ppid: number, pgid: number, state: string } | null}
 */
function readStat(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may contain spaces and parens: fields after the last ')'
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0], ppid: Number(rest[1]), pgid: Number(rest[2]) };
  } catch {
    return null;
  }
}

/** @param {number} pid @param {string} needle */
function environHas(pid, needle) {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`).includes(needle);
  } catch {
    return false;
  }
}

/**
 * Every live process of a server: the launcher's descendants (by ppid), its process group,
 * and anything carrying its tag in the environment (catches processes that changed
 * process group or were re-parented to init, e.g. detached children of the extension host).
 *
 * @param {number} rootPid
 * @param {string} tag
 * @returns {number[]}
 */
function serverPids(rootPid, tag) {
  const needle = `${TAG_VAR}=${tag}\0`;
  /** @type {Map<number, { ppid: number, pgid: number, state: string }>} */
  const all = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const st = readStat(pid);
    if (st && st.state !== 'Z' && st.state !== 'X') all.set(pid, st);
  }
  const found = new Set();
  if (all.has(rootPid)) found.add(rootPid);
  for (const [pid, st] of all) {
    if (st.pgid === rootPid || environHas(pid, needle)) found.add(pid);
  }
  // descendants of anything found
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, st] of all) {
      if (!found.has(pid) && found.has(st.ppid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  found.delete(process.pid);
  return [...found];
}

/**
 * @param {number} rootPid
 * @param {string} tag
 * @param {NodeJS.Signals} signal
 */
function killAllSync(rootPid, tag, signal) {
  /** @type {number[]} */
  let pids = [];
  try {
    pids = serverPids(rootPid, tag);
  } catch {}
  try {
    process.kill(-rootPid, signal);
  } catch {}
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {}
  }
}

/**
 * SIGTERM to the whole tree (snapshotted first, so re-parented children are not lost), a grace
 * period for code-server to shut down, then SIGKILL to whatever is left; returns once every
 * process of the server is gone.
 *
 * @param {number} rootPid
 * @param {string} tag
 * @param {Promise<unknown>} exitPromise
 */
async function killTree(rootPid, tag, exitPromise) {
  killAllSync(rootPid, tag, 'SIGTERM');
  const graceEnd = Date.now() + 10_000;
  while (Date.now() < graceEnd && serverPids(rootPid, tag).length > 0) await sleep(100);
  await killUntilGone(rootPid, tag);
  await exitPromise;
}

/**
 * SIGKILLs every process of a server (and its browsers) until none is left. Exported for tests
 * whose test process is itself killed: they must wait for these before removing folders the
 * processes write into.
 *
 * @param {number} rootPid
 * @param {string} tag
 */
export async function killUntilGone(rootPid, tag) {
  // SIGKILL cannot be ignored; the bound only turns a pathological case (a process stuck in
  // uninterruptible sleep) into an error instead of a hang.
  const killEnd = Date.now() + 60_000;
  for (;;) {
    const left = serverPids(rootPid, tag);
    if (left.length === 0) return;
    if (Date.now() > killEnd) throw new Error(`processes survived SIGKILL: ${left.join(' ')}`);
    killAllSync(rootPid, tag, 'SIGKILL');
    await sleep(100);
  }
}

/**
 * Removes a folder tree that processes may have written into until just now. Removal retries
 * ENOTEMPTY/EBUSY (a file created between listing a folder and removing it).
 *
 * @param {string} dir
 */
export async function removeTree(dir) {
  await fsp.rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}

// ---------------------------------------------------------------- watchdog
// `node codeServer.mjs --watchdog <pid> <tag>`: started by startCodeServer(); waits for its
// stdin (a pipe from the test process) to close, then kills the server's processes.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--watchdog') {
  const rootPid = Number(process.argv[3]);
  const tag = String(process.argv[4]);
  const tempRoot = process.argv[5];
  const fire = async () => {
    // Every writer into tempRoot (server, extension host, its children, the browsers) must be gone
    // before the folder is removed, or the removal races their last writes.
    await killUntilGone(rootPid, tag).catch(() => {});
    if (tempRoot && path.basename(tempRoot).startsWith('resnet-lab-e2e-')) {
      await removeTree(tempRoot).catch(() => {});
    }
    process.exit(0);
  };
  process.stdin.on('end', fire);
  process.stdin.on('error', fire);
  process.stdin.on('close', fire);
  process.stdin.resume();
}
