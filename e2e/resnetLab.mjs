// Helpers for driving the ResNet Lab extension in the e2e tests: its log, its panel's
// step counter, its trainer process, VS Code's quick pick and modal dialogs, the Runs view's rows
// and their context menu.
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_WAIT_MS, REPO_ROOT, launchBrowser, startCodeServer } from './codeServer.mjs';

/**
 * code-server with this extension and `settings`, and a browser on it; both end with the test.
 * @returns {Promise<{ server: Awaited<ReturnType<typeof startCodeServer>>, page: import('playwright-core').Page }>}
 */
export async function openResNetLab(t, { settings, name, viewport = { width: 1600, height: 1000 } }) {
  const server = await startCodeServer({ extensionPath: REPO_ROOT, settings, name });
  t.after(() => server.stop());
  const browser = await launchBrowser(server, { viewport });
  t.after(() => browser.close());
  return { server, page: browser.page };
}

/** Settings for a short default-preset run: batch 16, progress every 5 steps. */
export function shortRunSettings({ steps, evalEvery = 0, checkpointEvery = 0 }) {
  return {
    'resnetLab.preset': 'default',
    'resnetLab.steps': steps,
    'resnetLab.batchSize': 16,
    'resnetLab.logEvery': 5,
    'resnetLab.evalEvery': evalEvery,
    'resnetLab.checkpointEvery': checkpointEvery,
  };
}

/** The extension's own log (its LogOutputChannel), wherever this code-server put it. */
export function extensionLog(server) {
  const roots = [server.logsDir, server.userDataDir].filter(Boolean);
  for (const root of roots) {
    const stack = [root];
    while (stack.length) {
      const dir = stack.pop();
      for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) stack.push(full);
        else if (entry.name === 'ResNet Lab.log') return fs.readFileSync(full, 'utf8');
      }
    }
  }
  return '';
}

/** The step the panel's counter shows. */
export const stepOf = async (frame) => Number((await frame.getByTestId('step-counter').textContent()).match(/step (\d+)/)[1]);

/** Pids of this server's trainer child processes (dist/trainer.js). */
export function trainerPids(server) {
  return server.processes().filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((arg) => arg.endsWith(path.join('dist', 'trainer.js')));
    } catch {
      return false; // it ended meanwhile
    }
  });
}

/** The open quick pick's entry whose label contains `label`. */
export function quickPickItem(page, label) {
  return page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: label });
}

/** VS Code's modal dialog (code-server draws it in the page). */
export function modalDialog(page) {
  return page.locator('.monaco-dialog-box');
}

/** Waits until the panel's step counter passes `step` (training goes on), or fails after `waitMs`. */
export async function waitForStepAbove(frame, step, waitMs = DEFAULT_WAIT_MS) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const now = await stepOf(frame);
    if (now > step) return now;
    if (Date.now() > deadline) throw new Error(`the step counter stayed at ${now}, not past ${step}`);
    await frame.getByTestId('step-counter').filter({ hasNotText: new RegExp(`step ${now} /`) }).waitFor({ timeout: Math.max(1, deadline - Date.now()) });
  }
}

/** A row of the Runs tree by the run's name (exactly, so one name is not part of the other). */
export function runRow(page, name) {
  return page.locator('.pane-body .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
}

/** An entry of the open context menu. */
function menuItem(page, label) {
  return page.locator('.monaco-menu .action-item').filter({ hasText: label }).first();
}

/**
 * Right-clicks `row` and runs its context menu's `label`: the pointer focuses the item, Enter runs
 * it. A plain click on the item was sometimes dropped and left the menu open; a menu left open
 * from an earlier try is closed first.
 */
export async function runFromContextMenu(page, row, label) {
  if (await page.locator('.context-view .monaco-menu').isVisible()) await page.keyboard.press('Escape');
  await row.click({ button: 'right' });
  const item = menuItem(page, label);
  await item.hover();
  await page.keyboard.press('Enter');
}
