// Handing a run's lock to a detached trainer (RunLock.handOver by the launching window, in the
// tick it spawns the trainer; RunLock.claim by the trainer) and the start orders it reads.
// Pure file-system tests with real processes' pids: no trainer, no TensorFlow.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { LOCK_FILE, lockState, RunLock, RunLockedError } from '../../runStore/runLock';
import { readStartOrders, START_ORDERS_FILE, writeStartOrders } from '../../runStore/startOrders';
import { tinyConfig } from '../support/detachedRun';
import { tempDir } from '../support/paths';

const lockOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as { pid: number; window?: string; since: string };
const writeLock = (dir: string, pid: number) => fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ type: 'lock', pid, host: os.hostname(), since: new Date().toISOString(), tool: 'extension' }));
/** A pid that was a process and is gone. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

test('the window hands its lock to the trainer in one rename; then it is no longer the window\'s, and a second hand-over by it is refused', () => {
  const dir = tempDir('hand-over');
  const lock = RunLock.acquire(dir, 'extension');
  const trainerPid = process.ppid; // a live process that is not this one
  RunLock.handOver(dir, process.pid, trainerPid, 'extension', 'window-1');
  assert.deepEqual([lockOf(dir).pid, lockOf(dir).window], [trainerPid, 'window-1']);
  assert.equal(lock.stillMine, false);
  lock.release();
  assert.equal(lockOf(dir).pid, trainerPid, 'releasing the window\'s handle leaves the trainer\'s lock');
  const since = lockOf(dir).since;
  RunLock.handOver(dir, process.pid, trainerPid, 'extension', 'window-1');
  assert.equal(lockOf(dir).since, since, 'already the trainer\'s: left as it is');
  assert.throws(() => RunLock.handOver(dir, process.pid, deadPid(), 'extension'), RunLockedError);
});

test('the trainer claims a lock handed to it, or still naming its launcher (alive, or killed before it could hand over), and no other', () => {
  const handed = tempDir('claim-handed');
  writeLock(handed, process.pid);
  assert.equal(RunLock.claim(handed, deadPid(), 'extension').stillMine, true);

  const launcherAlive = tempDir('claim-alive');
  writeLock(launcherAlive, process.ppid);
  RunLock.claim(launcherAlive, process.ppid, 'extension', 'window-1');
  assert.deepEqual([lockOf(launcherAlive).pid, lockOf(launcherAlive).window], [process.pid, 'window-1']);

  const launcherGone = tempDir('claim-gone');
  const gone = deadPid();
  writeLock(launcherGone, gone);
  assert.equal(lockState(launcherGone).kind, 'stale');
  assert.equal(RunLock.claim(launcherGone, gone, 'extension').stillMine, true);

  const someoneElse = tempDir('claim-other');
  writeLock(someoneElse, process.ppid);
  assert.throws(() => RunLock.claim(someoneElse, deadPid(), 'extension'), /cannot be handed over: it is being trained by another window \(pid \d+\)/);
  const free = tempDir('claim-free');
  assert.throws(() => RunLock.claim(free, process.ppid, 'extension'), /cannot be handed over: its lock is free, not held by process \d+/);
});

test('start orders are read back as written, and every broken form is refused with a readable reason', () => {
  const runDir = tempDir('start-orders');
  const orders = { type: 'start' as const, config: tinyConfig(5), checkpointDir: path.join(runDir, 'checkpoints'), resume: true, architecture: null, detached: { runDir, windowId: 'w', graceMs: 10, keepTraining: false } };
  writeStartOrders(orders);
  assert.deepEqual(readStartOrders(runDir), orders);
  const broken: [string, RegExp][] = [
    ['{"type":"start",', /are not JSON \(torn or foreign\)$/],
    [JSON.stringify({ type: 'pause' }), /are a pause message, not start$/],
    [JSON.stringify({ ...orders, detached: null }), /are not for this run folder$/],
    [JSON.stringify({ ...orders, extra: 1 }), /are malformed: start has an unknown field "extra"$/],
    [JSON.stringify({ ...orders, config: undefined }), /are malformed: start\.config is missing$/],
  ];
  for (const [text, reason] of broken) {
    fs.writeFileSync(path.join(runDir, START_ORDERS_FILE), text);
    assert.throws(() => readStartOrders(runDir), (error: Error) => reason.test(error.message) && error.message.startsWith('the run\'s start orders (start.json) '), text);
  }
  fs.rmSync(path.join(runDir, START_ORDERS_FILE));
  assert.throws(() => readStartOrders(runDir), /^Error: the run's start orders \(start\.json\) are missing$/);
});
