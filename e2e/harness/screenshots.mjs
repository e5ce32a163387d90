// Screenshots into test-results/: of the whole workbench page, or of a webview's content.
import fsp from 'node:fs/promises';
import path from 'node:path';
import { TEST_RESULTS_DIR } from './paths.mjs';

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
