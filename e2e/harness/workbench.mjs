// Finding things in VS Code's workbench: the command palette, webviews, status bar entries and
// notifications. Selectors are VS Code 1.100's DOM.

import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_WAIT_MS } from './paths.mjs';

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
    // Every action of an attempt waits at most a few seconds: a webview that finishes loading (say
    // the panel the previous command opened) takes the focus and closes the palette at any point,
    // and then the attempt starts again instead of waiting on a hidden input.
    const step = () => ({ timeout: Math.min(5_000, Math.max(1, deadline - Date.now())) });
    try {
      await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
      if (!(await widget.isVisible())) await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', ...step() });
      await input.fill(`>${title}`, step());
      // The palette does not refresh when commands register later, hence the retries.
      await row.first().waitFor({ state: 'visible', ...step() });
      // Make the exact match the focused entry, then run it.
      await row.first().click(step());
    } catch (err) {
      if (Date.now() >= deadline) {
        throw new Error(`runCommand: could not run ${JSON.stringify(title)} from the palette in ${attempt} attempts: ${err.message}`);
      }
      if (await widget.isVisible()) {
        await page.keyboard.press('Escape');
        await widget.waitFor({ state: 'hidden' }).catch(() => {});
      }
      await sleep(500);
      continue;
    }
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

/** A regex matching exactly `text`, give or take surrounding white space. @param {string} text */
function exactText(text) {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

