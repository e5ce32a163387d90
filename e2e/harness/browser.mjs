// Debian's Chromium driven by playwright-core: opening a code-server's workbench and waiting
// until its window is connected to the extension host, with the browser console logged to
// test-results/.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_WAIT_MS, TEST_RESULTS_DIR } from './paths.mjs';
import { removeTree, TAG_VAR } from './processTree.mjs';
import { countExtensionHostLaunches } from './server.mjs';
import { waitForWorkbench } from './workbench.mjs';

/** Debian's Chromium (Playwright's own browser download is unreachable here). Override with $E2E_CHROMIUM. */
export const CHROMIUM_PATH = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
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

