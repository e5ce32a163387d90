// The runs root: one folder per run (run.json, history.jsonl, checkpoints/, lock). Lists runs
// newest first with their live status, creates and resumes runs (taking their lock), renames
// and deletes runs no one is writing, and applies the checkpoint retention. Node only: used by
// the extension host and the CLI alike. Nothing found in the root is trusted: a torn or foreign
// entry is reported once and skipped, never hiding the other runs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ArchitectureSpec } from '../shared/architecture';
import { LATEST_CHECKPOINT_FILE, PREVIOUS_CHECKPOINT_FILE } from '../shared/checkpointFiles';
import { emptyRunMetrics, RUN_ID_PATTERN, RUN_MANIFEST_VERSION, runManifest, type RunManifest, type StoredRunStatus } from '../shared/runManifest';
import { withLaterFieldDefaults, type TrainingConfig } from '../shared/trainingConfig';
import { describeValue, isRecord } from '../shared/validation';
import { readHistory, type StoredHistory } from './runHistoryFile';
import { lockState, RunLock, RunLockedError, type LockState } from './runLock';
import { checkpointsOfRunFolder, MANIFEST_FILE, RunWriter, writeManifest } from './runWriter';

/** Checkpoints of this many most recent runs are kept by default (histories always are). */
export const DEFAULT_KEEP_CHECKPOINTS = 5;
const RETENTION_LOCK_FOLDER = '.retention';

export interface StoredRun {
  id: string;
  dir: string;
  manifest: RunManifest;
  /** run.json's status, with a 'running' run whose writer is gone shown as crashed. */
  status: StoredRunStatus;
  lock: LockState;
  /** Some other live process (another window, a terminal run) is writing it. */
  lockedElsewhere: boolean;
  /** A detached trainer on this host is training it: a window can connect to it to watch or drive it. */
  attachable: boolean;
  checkpointDir: string;
  /** A checkpoint is there to resume or export from. */
  hasCheckpoint: boolean;
}

export interface RootProblem {
  entry: string;
  problem: string;
}

export type Tool = 'extension' | 'cli';

function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${Math.random().toString(16).slice(2, 6)}`;
}

export function hasCheckpointIn(dir: string): boolean {
  return fs.existsSync(path.join(dir, LATEST_CHECKPOINT_FILE)) || fs.existsSync(path.join(dir, PREVIOUS_CHECKPOINT_FILE));
}

export class RunStore {
  private readonly reported = new Set<string>();

  /**
   * onProblem hears each torn or foreign entry once per store; now is the wall clock writers time
   * sessions with; windowId is the window this store is read for: a run its detached trainer trains
   * for that window is not "elsewhere".
   */
  constructor(
    readonly root: string,
    private readonly onProblem: (problem: RootProblem) => void = () => {},
    private readonly now: () => number = Date.now,
    readonly windowId?: string,
  ) {}

  /** Every readable run, newest first; what cannot be read is reported (once) and skipped. */
  list(): StoredRun[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const runs: StoredRun[] = [];
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const found = this.read(name);
      if ('problem' in found) this.report(name, found.problem);
      else runs.push(found);
    }
    return runs.sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt) || b.id.localeCompare(a.id));
  }

  /** One run by id, or undefined if there is none readable by that id. */
  get(id: string): StoredRun | undefined {
    if (!RUN_ID_PATTERN.test(id)) return undefined;
    const found = this.read(id);
    return 'problem' in found ? undefined : found;
  }

  history(id: string): StoredHistory {
    const run = this.require(id);
    const history = readHistory(run.dir);
    if (history.skippedLines > 0) this.report(`${id}/history.jsonl`, `${history.skippedLines} line(s) are not history entries (torn or foreign) and were skipped`);
    return history;
  }

  /** A new run folder, locked by this process, with run.json written. */
  create(config: TrainingConfig, architecture: ArchitectureSpec, tool: Tool, now = new Date()): RunWriter {
    fs.mkdirSync(this.root, { recursive: true });
    let id = newRunId(now);
    while (fs.existsSync(path.join(this.root, id))) id = newRunId(now);
    const dir = path.join(this.root, id);
    fs.mkdirSync(dir);
    const lock = RunLock.acquire(dir, tool);
    const manifest: RunManifest = {
      version: RUN_MANIFEST_VERSION, id, name: null, config, architecture, status: 'running', createdAt: now.toISOString(), endedAt: null,
      engine: null, backend: null, origin: { tool, host: os.hostname() }, error: null, metrics: emptyRunMetrics(),
    };
    writeManifest(dir, manifest);
    return new RunWriter(dir, manifest, lock, this.now);
  }

  /** Takes a stopped or crashed run's lock to train it further. Throws if someone is writing it. */
  resume(id: string, tool: Tool): RunWriter {
    const run = this.require(id);
    if (run.lock.kind === 'held') throw new RunLockedError(run.lock.owner, `Run ${id} cannot be resumed`);
    if (run.status === 'finished') throw new Error(`Run ${id} has finished all its steps; there is nothing to resume.`);
    if (!run.hasCheckpoint) throw new Error(`Run ${id} has no checkpoint to resume from${run.manifest.metrics.stepsDone > 0 ? ' (retention removed it, or it crashed before the first one)' : ''}.`);
    const lock = RunLock.acquire(run.dir, tool, `Run ${id} cannot be resumed`);
    // Re-read under the lock: the last writer may have finished it in between.
    const fresh = this.read(id);
    if ('problem' in fresh) {
      lock.release();
      throw new Error(`Run ${id} cannot be resumed: ${fresh.problem}`);
    }
    return new RunWriter(run.dir, fresh.manifest, lock, this.now);
  }

  /**
   * A detached trainer takes up the run its launching window (`launcherPid`) created or resumed and
   * handed over to it (for `windowId`, the window that reattaches): this process becomes its writer.
   */
  claim(id: string, launcherPid: number, windowId?: string): RunWriter {
    const run = this.require(id);
    const lock = RunLock.claim(run.dir, launcherPid, 'extension', windowId);
    return new RunWriter(run.dir, run.manifest, lock, this.now);
  }

  /** Sets the run's user name (null: back to the generated one). Refused while another process writes it. */
  rename(id: string, name: string | null): void {
    const run = this.require(id);
    const lock = RunLock.acquire(run.dir, 'rename', `Run ${id} cannot be renamed now`);
    try {
      writeManifest(run.dir, { ...run.manifest, name });
    } finally {
      lock.release();
    }
  }

  /** Deletes a run's folder. Refused while a live process writes it. */
  delete(id: string): void {
    const run = this.require(id);
    const lock = RunLock.acquire(run.dir, 'delete', `Run ${id} cannot be deleted`);
    // The folder (lock included) goes; renaming it first makes the removal all-or-nothing for readers.
    const doomed = path.join(this.root, `.deleting-${id}-${process.pid}`);
    try {
      fs.renameSync(run.dir, doomed);
    } catch (error) {
      lock.release();
      throw error;
    }
    fs.rmSync(doomed, { recursive: true, force: true });
  }

  /**
   * Deletes the checkpoints of all but the `keep` most recent runs, never those of a run being
   * written (by anyone) or listed in `protectedIds` (open in a panel). One owner at a time: if
   * another process is applying it, this call does nothing. Returns the ids whose checkpoints went.
   */
  applyRetention(keep: number, protectedIds: ReadonlySet<string> = new Set()): string[] {
    fs.mkdirSync(path.join(this.root, RETENTION_LOCK_FOLDER), { recursive: true });
    let owner: RunLock;
    try {
      owner = RunLock.acquire(path.join(this.root, RETENTION_LOCK_FOLDER), 'retention');
    } catch (error) {
      if (error instanceof RunLockedError) return [];
      throw error;
    }
    const removed: string[] = [];
    try {
      const withCheckpoints = this.list().filter((run) => run.hasCheckpoint);
      for (const run of withCheckpoints.slice(Math.max(0, keep))) {
        if (protectedIds.has(run.id) || run.status === 'running') continue;
        let lock: RunLock;
        try {
          lock = RunLock.acquire(run.dir, 'retention');
        } catch {
          continue; // someone started writing it just now
        }
        try {
          fs.rmSync(run.checkpointDir, { recursive: true, force: true });
          removed.push(run.id);
        } finally {
          lock.release();
        }
      }
    } finally {
      owner.release();
    }
    return removed;
  }

  private require(id: string): StoredRun {
    if (!RUN_ID_PATTERN.test(id)) throw new Error(`${describeValue(id)} is not a run id.`);
    const found = this.read(id);
    if ('problem' in found) throw new Error(`Run ${id} cannot be read: ${found.problem}`);
    return found;
  }

  private read(name: string): StoredRun | { problem: string } {
    const dir = path.join(this.root, name);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(dir);
    } catch {
      return { problem: 'not found' };
    }
    if (!stat.isDirectory()) return { problem: 'not a run folder (a file)' };
    let raw: string;
    try {
      raw = fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8');
    } catch {
      return { problem: `no readable ${MANIFEST_FILE}` };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { problem: `${MANIFEST_FILE} is not JSON (torn or foreign)` };
    }
    // A run.json written before the learning-rate levers existed: read as the run trained.
    if (isRecord(parsed) && isRecord(parsed.config)) parsed.config = withLaterFieldDefaults(parsed.config);
    const problem = runManifest(parsed, MANIFEST_FILE);
    if (problem) return { problem };
    const manifest = parsed as RunManifest;
    if (manifest.id !== name) return { problem: `${MANIFEST_FILE} names run ${describeValue(manifest.id)}, not its folder` };
    const lock = lockState(dir);
    const held = lock.kind === 'held';
    // Written by a process that is gone without saying how it ended: it crashed.
    const status: StoredRunStatus = manifest.status === 'running' && !held ? 'crashed' : manifest.status;
    const checkpointDir = checkpointsOfRunFolder(dir);
    const attachable = held && !lock.mine && lock.owner.host === os.hostname() && lock.owner.window !== undefined;
    const thisWindows = attachable && this.windowId !== undefined && lock.owner.window === this.windowId;
    return {
      id: name, dir, manifest, status, lock, lockedElsewhere: held && !lock.mine && !thisWindows, attachable, checkpointDir, hasCheckpoint: hasCheckpointIn(checkpointDir),
    };
  }

  private report(entry: string, problem: string): void {
    const key = `${entry}\u0000${problem}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.onProblem({ entry, problem });
  }
}
