// Checkpoints on disk: written atomically (temporary file, fsync, rename), the previous good one
// kept beside the latest, and both validated on load. A process killed at any instant leaves
// `latest` either the old or the new complete file, never a torn one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LATEST_CHECKPOINT_FILE, PREVIOUS_CHECKPOINT_FILE } from '../../shared/checkpointFiles';
import { describeWriteFailure } from './describeWriteFailure';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, type CheckpointHeader, type DecodedCheckpoint, type TensorToSave } from './checkpointFormat';

export interface LoadedCheckpoint extends DecodedCheckpoint {
  path: string;
  /** Set when the latest file was unusable and the previous one was loaded instead. */
  warning?: string;
}

function fsyncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export class CheckpointStore {
  readonly latestPath: string;
  readonly previousPath: string;
  /** Whether the file at latestPath is known to decode; unknown until this store saved or loaded it. */
  private latestIsGood: boolean | undefined;

  constructor(readonly dir: string) {
    this.latestPath = path.join(dir, LATEST_CHECKPOINT_FILE);
    this.previousPath = path.join(dir, PREVIOUS_CHECKPOINT_FILE);
  }

  hasCheckpoint(): boolean {
    return fs.existsSync(this.latestPath) || fs.existsSync(this.previousPath);
  }

  /**
   * Writes a checkpoint; returns its size in bytes. A failure (a full disk, say) leaves the
   * checkpoints already on disk as they were and throws one line the user can act on.
   */
  save(header: Omit<CheckpointHeader, 'tensors' | 'schemaVersion'>, tensors: TensorToSave[]): number {
    try {
      return this.write(header, tensors);
    } catch (error) {
      const kept = this.hasCheckpoint() ? ' The checkpoint saved before is kept.' : '';
      throw new Error(`Could not save a checkpoint in ${this.dir}: ${describeWriteFailure(error, { retry: 'resume', folder: 'checkpoint folder' })}.${kept}`);
    }
  }

  private write(header: Omit<CheckpointHeader, 'tensors' | 'schemaVersion'>, tensors: TensorToSave[]): number {
    fs.mkdirSync(this.dir, { recursive: true });
    const temporary = `${this.latestPath}.tmp-${process.pid}`;
    let bytes = 0;
    const fd = fs.openSync(temporary, 'w');
    try {
      for (const chunk of encodeCheckpoint(header, tensors)) {
        fs.writeSync(fd, chunk);
        bytes += chunk.length;
      }
      fs.fsyncSync(fd);
    } catch (error) {
      // A failed write (a full disk) must not leave 150 MB of temporary file behind.
      fs.closeSync(fd);
      fs.rmSync(temporary, { force: true });
      throw error;
    }
    fs.closeSync(fd);
    // Keep the current latest as previous via a hard link, so `latest` always exists. A latest
    // that is corrupt must not push the good previous checkpoint out.
    if (fs.existsSync(this.latestPath) && this.latestDecodes()) {
      const previousTemporary = `${this.previousPath}.tmp-${process.pid}`;
      fs.rmSync(previousTemporary, { force: true });
      fs.linkSync(this.latestPath, previousTemporary);
      fs.renameSync(previousTemporary, this.previousPath);
    }
    fs.renameSync(temporary, this.latestPath);
    fsyncDirectory(this.dir);
    this.latestIsGood = true;
    return bytes;
  }

  private latestDecodes(): boolean {
    if (this.latestIsGood === undefined) {
      try {
        this.read(this.latestPath);
        this.latestIsGood = true;
      } catch (error) {
        if (!(error instanceof CheckpointError)) throw error;
        this.latestIsGood = false;
      }
    }
    return this.latestIsGood;
  }

  private read(file: string): DecodedCheckpoint {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      throw new CheckpointError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    return decodeCheckpoint(file, bytes);
  }

  /** The latest valid checkpoint, falling back to the previous one; null if there is none. */
  load(): LoadedCheckpoint | null {
    const latestExists = fs.existsSync(this.latestPath);
    const previousExists = fs.existsSync(this.previousPath);
    if (!latestExists && !previousExists) return null;
    let latestProblem: CheckpointError | undefined;
    if (latestExists) {
      try {
        const latest = { ...this.read(this.latestPath), path: this.latestPath };
        this.latestIsGood = true;
        return latest;
      } catch (error) {
        if (!(error instanceof CheckpointError)) throw error;
        latestProblem = error;
        this.latestIsGood = false;
      }
    }
    if (previousExists) {
      let previous: DecodedCheckpoint;
      try {
        previous = this.read(this.previousPath);
      } catch (error) {
        if (!(error instanceof CheckpointError) || !latestProblem) throw error;
        throw new CheckpointError(this.dir, `no usable checkpoint: ${latestProblem.message}; ${error.message}`);
      }
      const warning = latestProblem
        ? `The latest checkpoint is unusable (${latestProblem.message}); resumed from the previous one at step ${previous.header.step}.`
        : undefined;
      return { ...previous, path: this.previousPath, ...(warning ? { warning } : {}) };
    }
    throw latestProblem!;
  }

  /** Removes every checkpoint here: a fresh run must not mix with, or fall back to, an older one. */
  clear(): void {
    this.cleanTemporaries();
    for (const file of [this.latestPath, this.previousPath]) fs.rmSync(file, { force: true });
    this.latestIsGood = undefined;
  }

  /** Removes stale temporary files left by a killed writer. */
  cleanTemporaries(): void {
    if (!fs.existsSync(this.dir)) return;
    for (const name of fs.readdirSync(this.dir)) if (name.includes('.rlck.tmp-')) fs.rmSync(path.join(this.dir, name), { force: true });
  }
}
