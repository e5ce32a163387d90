// The one writer of a run folder while its lock is held: appends the history, keeps run.json's
// status and metrics current (atomic rewrites), and releases the lock when the session ends.
// Fed by whichever process runs the trainer's events: the extension host or the CLI.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HistoryEntry, RunManifest, StoredRunStatus } from '../shared/runManifest';
import type { ActivationReport, EvaluationReport, ProgressReport, RunSummary } from '../shared/trainingReports';
import { writeFileAtomic } from './atomicFile';
import { appendHistory, endTornLine } from './runHistoryFile';
import type { RunLock } from './runLock';

export const MANIFEST_FILE = 'run.json';
export const CHECKPOINTS_FOLDER = 'checkpoints';

// A run folder keeps its checkpoints one level down. Trainers are given the checkpoint folder and
// the export CLI takes either, so the layout is read both ways; these are its one definition.

/** A run folder's checkpoint folder. */
export function checkpointsOfRunFolder(runDir: string): string {
  return path.join(runDir, CHECKPOINTS_FOLDER);
}

const isRunFolder = (dir: string): boolean => fs.existsSync(path.join(dir, MANIFEST_FILE));

/** The run folder a checkpoint folder belongs to (`<run>/checkpoints`, beside the run's run.json), or null for a bare checkpoint folder. */
export function runFolderOfCheckpoints(checkpointDir: string): string | null {
  const resolved = path.resolve(checkpointDir);
  const runDir = path.dirname(resolved);
  return path.basename(resolved) === CHECKPOINTS_FOLDER && isRunFolder(runDir) ? runDir : null;
}

/** The checkpoint folder `dir` names: its checkpoints/ if it is a run folder that has one, else `dir` itself. */
export function checkpointFolderOf(dir: string): string {
  const inRunFolder = checkpointsOfRunFolder(dir);
  return isRunFolder(dir) && fs.existsSync(inRunFolder) ? inRunFolder : dir;
}

export function writeManifest(dir: string, manifest: RunManifest): void {
  writeFileAtomic(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Share of fc1's units dead on the probe batch, if the report has fc1. */
export function fc1DeadFraction(activations: ActivationReport): number | null {
  const fc1 = activations.layers.find((layer) => layer.blockId === 'fc1');
  return fc1 && Number.isFinite(fc1.deadFraction) ? fc1.deadFraction : null;
}

const finiteOrNull = (value: number | null | undefined): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

export class RunWriter {
  private sessionStartedAt: number | null = null;

  constructor(
    readonly dir: string,
    private manifest: RunManifest,
    private readonly lock: RunLock,
    private readonly now: () => number = Date.now,
  ) {}

  get id(): string {
    return this.manifest.id;
  }

  get checkpointDir(): string {
    return checkpointsOfRunFolder(this.dir);
  }

  get current(): RunManifest {
    return this.manifest;
  }

  /** Still the run's writer (its session has not ended). */
  get open(): boolean {
    return this.lock.held;
  }

  /** A trainer session begins at startStep (> 0: resumed from a checkpoint). */
  began(startStep: number, backend: string, engine: string | null): void {
    this.sessionStartedAt = this.now();
    endTornLine(this.dir);
    if (startStep > 0 || this.manifest.metrics.stepsDone > 0) appendHistory(this.dir, [{ kind: 'resumed', step: startStep }]);
    this.update({ status: 'running', backend, engine: engine ?? this.manifest.engine, endedAt: null, error: null, metrics: { ...this.manifest.metrics, stepsDone: startStep } });
  }

  progress(progress: ProgressReport): void {
    this.append({ kind: 'progress', progress }, { stepsDone: progress.step, imagesPerSec: finiteOrNull(progress.imagesPerSec) ?? this.manifest.metrics.imagesPerSec });
  }

  evaluation(evaluation: EvaluationReport): void {
    const m = this.manifest.metrics;
    const accuracy = finiteOrNull(evaluation.accuracy);
    const patch = evaluation.split === 'test'
      ? { testAccuracy: accuracy }
      : { finalValidationAccuracy: accuracy, bestValidationAccuracy: accuracy === null ? m.bestValidationAccuracy : Math.max(accuracy, m.bestValidationAccuracy ?? 0) };
    // A confusion matrix is kept in the history: the panel's Errors card reads it from there.
    this.append({ kind: 'evaluation', evaluation }, patch);
  }

  activations(activations: ActivationReport): void {
    this.append({ kind: 'activations', activations }, { fc1DeadFraction: fc1DeadFraction(activations) ?? this.manifest.metrics.fc1DeadFraction });
  }

  /** The session ended: run.json says how and the lock is released. Only the first call counts. */
  ended(status: Exclude<StoredRunStatus, 'running'>, details: { summary?: RunSummary; error?: string; stepsDone?: number } = {}): void {
    // A lock handed over to a detached trainer makes that trainer the one to say how it ended.
    if (!this.lock.stillMine) {
      this.lock.release();
      return;
    }
    const { summary } = details;
    const m = this.manifest.metrics;
    const wallSec = (m.wallSec ?? 0) + (this.sessionStartedAt === null ? 0 : (this.now() - this.sessionStartedAt) / 1000);
    this.sessionStartedAt = null;
    this.update({
      status, endedAt: new Date(this.now()).toISOString(), error: details.error ?? null, ...(summary ? { backend: summary.backend } : {}),
      metrics: {
        ...m,
        stepsDone: summary?.stepsDone ?? details.stepsDone ?? m.stepsDone,
        wallSec,
        ...(summary ? { imagesPerSec: finiteOrNull(summary.imagesPerSec), peakRssMb: Math.max(finiteOrNull(summary.peakRssMb) ?? 0, m.peakRssMb ?? 0) } : {}),
        ...(summary?.test ? { testAccuracy: finiteOrNull(summary.test.accuracy) } : {}),
      },
    });
    this.lock.release();
  }

  /** The user's name for the run (its writer renames it, so run.json has one writer). */
  rename(name: string | null): void {
    this.update({ name });
  }

  private append(entry: HistoryEntry, metrics: Partial<RunManifest['metrics']>): void {
    if (!this.lock.held) return;
    appendHistory(this.dir, [entry]);
    this.update({ metrics: { ...this.manifest.metrics, ...metrics } });
  }

  private update(patch: Partial<RunManifest>): void {
    this.manifest = { ...this.manifest, ...patch };
    fs.mkdirSync(this.dir, { recursive: true });
    writeManifest(this.dir, this.manifest);
  }
}
