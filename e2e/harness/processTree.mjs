// Finding and killing every process of one code-server: the launcher's descendants (by ppid),
// its process group, and anything carrying its tag in the environment (catches detached and
// setsid'd grandchildren such as terminal shells, and the browsers opened on it).
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** Environment variable carrying a per-server tag, used to find every descendant at stop(). */
export const TAG_VAR = 'RESNET_LAB_E2E_TAG';

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
export function serverPids(rootPid, tag) {
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
 * Sends a signal to every process of a server, synchronously (usable from exit hooks).
 *
 * @param {number} rootPid
 * @param {string} tag
 * @param {NodeJS.Signals} signal
 */
export function killAllSync(rootPid, tag, signal) {
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
export async function killTree(rootPid, tag, exitPromise) {
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
