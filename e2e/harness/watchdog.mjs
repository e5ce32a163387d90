// Last line of defence if a test process dies without stopping its code-server or running its
// exit hooks (SIGKILL, crash): a watchdog process in its own process group holds a pipe from the
// test process and, when that pipe closes, kills the server's processes and removes its temp root.
//
// `node watchdog.mjs <pid> <tag> [tempRoot]` is what startWatchdog() runs.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killUntilGone, removeTree } from './processTree.mjs';

const THIS_FILE = fileURLToPath(import.meta.url);
/** Prefix of every temp root the harness creates; the watchdog removes nothing else. */
export const TEMP_ROOT_PREFIX = 'resnet-lab-e2e-';

/**
 * Starts the watchdog for one server. It does not keep the test process alive; kill it
 * (SIGKILL) once the server has been stopped normally.
 *
 * @param {number} rootPid pid (and process group) of the code-server launcher
 * @param {string} tag the server's $RESNET_LAB_E2E_TAG
 * @param {string} tempRoot folder to remove once everything is dead ('' keeps it)
 * @returns {import('node:child_process').ChildProcess}
 */
export function startWatchdog(rootPid, tag, tempRoot) {
  const watchdog = spawn(process.execPath, [THIS_FILE, String(rootPid), tag, tempRoot], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    env: { PATH: process.env.PATH },
  });
  watchdog.unref();
  /** @type {import('node:net').Socket} */ (/** @type {unknown} */ (watchdog.stdin)).unref();
  return watchdog;
}

if (process.argv[1] === THIS_FILE) {
  const rootPid = Number(process.argv[2]);
  const tag = String(process.argv[3]);
  const tempRoot = process.argv[4];
  const fire = async () => {
    // Every writer into tempRoot (server, extension host, its children, the browsers) must be gone
    // before the folder is removed, or the removal races their last writes.
    await killUntilGone(rootPid, tag).catch(() => {});
    if (tempRoot && path.basename(tempRoot).startsWith(TEMP_ROOT_PREFIX)) {
      await removeTree(tempRoot).catch(() => {});
    }
    process.exit(0);
  };
  process.stdin.on('end', fire);
  process.stdin.on('error', fire);
  process.stdin.on('close', fire);
  process.stdin.resume();
}
