// The lock a run's writer holds: a file with its pid and host, created atomically (hard link of
// a fully written temporary file, which fails if the lock exists), so a reader never sees an
// empty lock. A lock whose pid is gone on this same host is stale and may be taken over; a lock
// from another host cannot be judged from here and counts as held.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { integer, parseMessage, shape, text, exactly } from '../shared/validation';

export const LOCK_FILE = 'lock';

export interface LockOwner {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  since: string;
  /** What holds it, for messages: 'extension', 'cli'. */
  tool: string;
  /** The window whose run it is (a detached trainer's lock): that window reattaches, others only watch. */
  window?: string;
}

const lockShape = { lock: shape({ type: exactly('lock'), pid: integer(1, 2 ** 31), host: text(256), since: text(64), tool: text(64) }, { window: text(128) }) };

export type LockState =
  | { kind: 'free' }
  /** Held by a live process: this one, another on this host, or one on another host. */
  | { kind: 'held'; owner: LockOwner; mine: boolean }
  /** Its process is gone (or the file is unreadable): a crash left it. */
  | { kind: 'stale'; owner: LockOwner | null };

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(lockFile: string): LockOwner | null | 'absent' {
  let raw: string;
  try {
    raw = fs.readFileSync(lockFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    return null;
  }
  try {
    const parsed = parseMessage<LockOwner & { type: 'lock' }>(JSON.parse(raw), lockShape);
    if (!parsed.ok) return null;
    const { pid, host, since, tool, window } = parsed.message;
    return { pid, host, since, tool, ...(window !== undefined ? { window } : {}) };
  } catch {
    return null;
  }
}

export function lockState(dir: string): LockState {
  const owner = readOwner(path.join(dir, LOCK_FILE));
  if (owner === 'absent') return { kind: 'free' };
  if (owner === null) return { kind: 'stale', owner: null };
  if (owner.host !== os.hostname()) return { kind: 'held', owner, mine: false };
  if (owner.pid === process.pid) return { kind: 'held', owner, mine: true };
  return isProcessAlive(owner.pid) ? { kind: 'held', owner, mine: false } : { kind: 'stale', owner };
}

export function describeOwner(owner: LockOwner): string {
  return owner.host === os.hostname() ? `${owner.tool === 'cli' ? 'a terminal run' : 'another window'} (pid ${owner.pid})` : `${owner.tool} on ${owner.host} (pid ${owner.pid})`;
}

export class RunLockedError extends Error {
  constructor(readonly owner: LockOwner, what: string) {
    super(`${what}: it is being trained by ${describeOwner(owner)}.`);
    this.name = 'RunLockedError';
  }
}

/** The lock of one run folder, held by this process until released. */
export class RunLock {
  private released = false;
  private constructor(readonly dir: string) {}

  /**
   * Takes the lock of `dir`, taking over a stale one. Throws RunLockedError if a live process
   * holds it (this one included: one writer per run even within a process).
   */
  static acquire(dir: string, tool: string, what = 'This run cannot be written'): RunLock {
    const lockFile = path.join(dir, LOCK_FILE);
    const owner: LockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), tool };
    const temp = path.join(dir, `.lock.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
    fs.writeFileSync(temp, JSON.stringify({ type: 'lock', ...owner }));
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          fs.linkSync(temp, lockFile);
          return new RunLock(dir);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        const state = lockState(dir);
        if (state.kind === 'held') throw new RunLockedError(state.owner, what);
        if (state.kind === 'stale') removeStaleLock(lockFile, state.owner);
      }
      throw new Error(`${what}: its lock keeps changing hands.`);
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }

  /**
   * Passes `dir`'s lock from `fromPid` to `toPid` (both on this host) in one rename, so the run is
   * never unlocked in between: the extension host hands the run to the detached trainer it has
   * just spawned, in the same tick. Refused unless the lock names `fromPid` (alive, or gone: a
   * launcher killed in that tick) or already `toPid` (then it is left as it is).
   */
  static handOver(dir: string, fromPid: number, toPid: number, tool: string, window?: string): void {
    const state = lockState(dir);
    const owner = state.kind === 'free' ? null : state.owner;
    if (owner?.host === os.hostname() && owner.pid === toPid) return;
    if (owner?.host !== os.hostname() || owner.pid !== fromPid) {
      if (state.kind === 'held') throw new RunLockedError(state.owner, 'This run cannot be handed over');
      throw new Error(`This run cannot be handed over: its lock is ${state.kind}, not held by process ${fromPid}.`);
    }
    const next: LockOwner = { pid: toPid, host: os.hostname(), since: new Date().toISOString(), tool, ...(window !== undefined ? { window } : {}) };
    const temp = path.join(dir, `.lock.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
    fs.writeFileSync(temp, JSON.stringify({ type: 'lock', ...next }));
    fs.renameSync(temp, path.join(dir, LOCK_FILE));
  }

  /**
   * The lock of `dir` as this process's, handed to it by `launcherPid` (see handOver): already
   * done, or done here if this process got to it first. Throws if anyone else holds it.
   */
  static claim(dir: string, launcherPid: number, tool: string, window?: string): RunLock {
    RunLock.handOver(dir, launcherPid, process.pid, tool, window);
    return new RunLock(dir);
  }

  get held(): boolean {
    return !this.released;
  }

  /** Held, and the lock file still names this process (it was not handed over to a trainer). */
  get stillMine(): boolean {
    if (this.released) return false;
    const state = lockState(this.dir);
    return state.kind === 'held' && state.mine;
  }

  /** Removes the lock file if it is still this process's. */
  release(): void {
    if (this.released) return;
    this.released = true;
    const state = lockState(this.dir);
    if (state.kind === 'held' && state.mine) fs.rmSync(path.join(this.dir, LOCK_FILE), { force: true });
  }
}

/**
 * Moves a stale lock aside and deletes it, unless what was moved is not the stale lock read
 * (another process took it over in between): that one is put back.
 */
function removeStaleLock(lockFile: string, staleOwner: LockOwner | null): void {
  const aside = `${lockFile}.stale.${process.pid}`;
  try {
    fs.renameSync(lockFile, aside);
  } catch {
    return; // gone already: the next attempt links
  }
  const moved = readOwner(aside);
  const same = moved === null ? staleOwner === null : moved !== 'absent' && staleOwner !== null && moved.pid === staleOwner.pid && moved.since === staleOwner.since;
  if (!same) {
    try {
      fs.linkSync(aside, lockFile);
    } catch { /* someone else's lock is in place: theirs stands */ }
  }
  fs.rmSync(aside, { force: true });
}
