// The host's session state machine: one training run at a time, driven through a
// TrainerConnection, publishing complete snapshots. It survives anything the trainer does
// (crash, kill, garbage on the wire) and remembers the last run so Resume works after a
// VS Code restart. No vscode import: tested against a fake trainer.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LATEST_CHECKPOINT_FILE, PREVIOUS_CHECKPOINT_FILE } from '../../shared/checkpointFiles';
import type { ArchitectureSpec } from '../../shared/architecture';
import type { ErrorGallery, GalleryQuery } from '../../shared/errorGallery';
import { computeModelFigures } from '../../shared/modelFigures';
import { RejectionLog } from '../../shared/rejectionLog';
import type { TrainerToHostMessage } from '../../shared/trainerProtocol';
import type { TrainingConfig } from '../../shared/trainingConfig';
import type { BlockDetails, EvaluationReport, RunSummary } from '../../shared/trainingReports';
import { emptySnapshot, type SessionSnapshot, type SessionState } from '../../shared/webviewProtocol';
import { describeCrash, type RunEnd } from './runEndWording';
import type { TrainerConnection, TrainerExit, TrainerLauncher } from './trainerProcess';

/** The last run, persisted (VS Code globalState) so it can be resumed after a restart. */
export interface RunRecord {
  checkpointDir: string;
  config: TrainingConfig;
  /** The step of the run's latest checkpoint (where Resume starts). */
  step: number;
  /** Wall time of the run's ended sessions (start or resume to finish, stop or crash), seconds. */
  wallSec?: number;
}

export interface RunRecordStore {
  get(): RunRecord | undefined;
  set(record: RunRecord | undefined): void;
}

export interface SessionLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Things worth telling the user once, as a notification. */
export type SessionEvent =
  | { type: 'crashed'; cause: string; end: RunEnd }
  | { type: 'stopped'; end: RunEnd }
  | { type: 'finished'; summary: RunSummary };

export class SessionBusyError extends Error {
  constructor() {
    super('A training run is already in progress. Stop it first.');
    this.name = 'SessionBusyError';
  }
}

/** More points than a chart can show are thinned, keeping the first and the latest. */
export const MAX_PROGRESS_POINTS = 2000;
/**
 * A stopping trainer that has said nothing for this long (hung in native code) is killed. Any
 * message (an evaluation's progress, "writing checkpoint") restarts the wait: a stop that lands
 * in a long validation on a busy machine is slow, not hung.
 */
export const STOP_GRACE_MS = 30_000;
/** Lines of the trainer's stderr kept to explain a crash that sent no message (a native abort). */
const STDERR_LINES_KEPT = 5;

function hasCheckpoint(dir: string): boolean {
  return fs.existsSync(path.join(dir, LATEST_CHECKPOINT_FILE)) || fs.existsSync(path.join(dir, PREVIOUS_CHECKPOINT_FILE));
}

function describeExit(exit: TrainerExit): string {
  return exit.signal ? `the trainer process was killed (${exit.signal})` : `the trainer process exited with code ${exit.code}`;
}

export class TrainingSession {
  private state: SessionSnapshot = emptySnapshot();
  private trainer: TrainerConnection | null = null;
  private fatalError: string | null = null;
  private stderrTail: string[] = [];
  private stopTimer: NodeJS.Timeout | undefined;
  /** When the current trainer was launched (Date.now()); null once its session has ended. */
  private sessionStartedAt: number | null = null;
  private readonly changeListeners: ((snapshot: SessionSnapshot) => void)[] = [];
  private readonly eventListeners: ((event: SessionEvent) => void)[] = [];

  constructor(
    private readonly launch: TrainerLauncher,
    private readonly records: RunRecordStore,
    private readonly checkpointRoot: string,
    private readonly log: SessionLog,
    /** The wall clock, in ms (a test's own clock in tests). */
    private readonly now: () => number = Date.now,
  ) {
    const record = records.get();
    if (record && hasCheckpoint(record.checkpointDir)) {
      // A run that completed all its steps is finished, not resumable.
      const finished = record.step >= record.config.steps;
      this.state = {
        ...this.state, state: finished ? 'finished' : 'stopped', config: record.config, step: record.step, totalSteps: record.config.steps,
        canResume: !finished, wallSec: record.wallSec ?? null,
      };
    }
  }

  get snapshot(): SessionSnapshot {
    const progress = this.state.progress;
    if (progress.length <= MAX_PROGRESS_POINTS) return this.state;
    const stride = Math.ceil(progress.length / MAX_PROGRESS_POINTS);
    const thinned = progress.filter((_, i) => i % stride === 0 || i === progress.length - 1);
    return { ...this.state, progress: thinned };
  }

  /** The current or last run's checkpoint folder, if it holds a checkpoint (for Export Model…). */
  get checkpointDir(): string | undefined {
    const record = this.records.get();
    return record && hasCheckpoint(record.checkpointDir) ? record.checkpointDir : undefined;
  }

  get sessionState(): SessionState {
    return this.state.state;
  }

  /** The step Resume would start from, when there is a run to resume. */
  get resumeStep(): number | null {
    const record = this.records.get();
    return !this.isActive && this.state.canResume && record ? record.step : null;
  }

  /** Training is under way or being started/stopped: Stop applies. */
  get isActive(): boolean {
    return ['starting', 'running', 'paused', 'stopping'].includes(this.state.state);
  }

  /** Returns a function that unsubscribes. */
  onDidChange(listener: (snapshot: SessionSnapshot) => void): () => void {
    this.changeListeners.push(listener);
    return () => {
      const i = this.changeListeners.indexOf(listener);
      if (i >= 0) this.changeListeners.splice(i, 1);
    };
  }

  onEvent(listener: (event: SessionEvent) => void): void {
    this.eventListeners.push(listener);
  }

  private update(patch: Partial<SessionSnapshot>): void {
    this.state = { ...this.state, ...patch };
    const snapshot = this.snapshot;
    for (const l of this.changeListeners) l(snapshot);
  }

  private emit(event: SessionEvent): void {
    for (const l of this.eventListeners) l(event);
  }

  /**
   * A new run from step 0; the previous run's checkpoints are removed (one run is kept).
   * architecture: the network to train (a checked architecture file's); none = the seed's.
   */
  start(config: TrainingConfig, architecture: ArchitectureSpec | null = null): void {
    if (this.isActive) throw new SessionBusyError();
    this.retireTrainer();
    fs.mkdirSync(this.checkpointRoot, { recursive: true });
    for (const name of fs.readdirSync(this.checkpointRoot)) {
      if (name.startsWith('run-')) fs.rmSync(path.join(this.checkpointRoot, name), { recursive: true, force: true });
    }
    const checkpointDir = path.join(this.checkpointRoot, `run-${Date.now()}`);
    this.records.set({ checkpointDir, config, step: 0, wallSec: 0 });
    // The panel draws the network being started at once (the trainer confirms it in `started`).
    this.state = { ...emptySnapshot(), architecture: architecture ? { spec: architecture, figures: computeModelFigures(architecture) } : null };
    this.launchTrainer(config, checkpointDir, false, architecture);
  }

  /** Continues the last run from its checkpoint, in this window or after a restart. */
  resume(): void {
    if (this.isActive) throw new SessionBusyError();
    const record = this.records.get();
    if (!record || !hasCheckpoint(record.checkpointDir)) throw new Error('There is no stopped run to resume. Start one with "Train ResNet on MNIST".');
    this.retireTrainer();
    // No network named: the trainer continues the checkpoint's own, and reports it in `started`.
    this.launchTrainer(record.config, record.checkpointDir, true, null);
  }

  /**
   * Asks the trainer to finish its step, write a checkpoint and exit. A second Stop, or
   * STOP_GRACE_MS without a word from it, kills it: the last checkpoint is kill-safe.
   */
  stop(): void {
    const trainer = this.trainer;
    if (!trainer || !this.isActive) return;
    if (this.state.state === 'stopping') {
      this.log.warn('stopping again: killing the trainer');
      trainer.kill();
      return;
    }
    this.log.info(`stopping at step ${this.state.step}`);
    this.update({ state: 'stopping' });
    trainer.send({ type: 'stop' });
    this.armStopTimer(trainer);
  }

  /** (Re)starts the wait for a stopping trainer to exit. */
  private armStopTimer(trainer: TrainerConnection): void {
    clearTimeout(this.stopTimer);
    this.stopTimer = setTimeout(() => {
      if (this.trainer === trainer && !trainer.exited) {
        this.log.warn(`the trainer has said nothing for ${STOP_GRACE_MS / 1000} s since it was asked to stop: killing it`);
        trainer.kill();
      }
    }, STOP_GRACE_MS);
    this.stopTimer.unref?.();
  }

  async evaluateTest(): Promise<EvaluationReport> {
    if (!this.trainer || this.trainer.exited) throw new Error('No model is loaded: the trainer is not running. Resume or start a run first.');
    const evaluation = await this.trainer.evaluate('test');
    this.update({ evaluations: [...this.state.evaluations, evaluation] });
    return evaluation;
  }

  describeBlock(blockId: string): Promise<BlockDetails> {
    if (!this.trainer || this.trainer.exited) {
      return Promise.reject(new Error('Live weights need a running trainer; resume the run to inspect them.'));
    }
    return this.trainer.describeBlock(blockId);
  }

  gallery(query: GalleryQuery): Promise<ErrorGallery> {
    if (!this.trainer || this.trainer.exited) {
      return Promise.reject(new Error('Images of an evaluation need the trainer that made it; this run\'s trainer has ended.'));
    }
    return this.trainer.gallery(query);
  }

  /** Ends the trainer: a graceful stop first, then a kill if it has not exited by graceMs. */
  async shutdown(graceMs: number): Promise<void> {
    const trainer = this.trainer;
    if (!trainer || trainer.exited) return;
    const exited = new Promise<void>((resolve) => trainer.onExit(() => resolve()));
    if (this.isActive) this.stop();
    else trainer.send({ type: 'stop' });
    const timer = new Promise<void>((resolve) => setTimeout(resolve, graceMs));
    await Promise.race([exited, timer]);
    trainer.kill();
  }

  /** Drops a finished trainer kept alive for inspection. */
  private retireTrainer(): void {
    if (this.trainer && !this.trainer.exited) this.trainer.kill();
    this.trainer = null;
  }

  private launchTrainer(config: TrainingConfig, checkpointDir: string, resume: boolean, architecture: ArchitectureSpec | null): void {
    this.fatalError = null;
    this.stderrTail = [];
    this.sessionStartedAt = this.now();
    this.update({ state: 'starting', config, totalSteps: config.steps, error: null, warning: null, phase: null, wallSec: null });
    this.log.info(`${resume ? 'resuming' : 'starting'} ${config.preset} run: ${config.steps} steps × batch ${config.batchSize} on ${config.backend}; checkpoints in ${checkpointDir}`);
    let trainer: TrainerConnection;
    try {
      trainer = this.launch(config);
    } catch (error) {
      this.crash(`could not start the trainer process: ${(error as Error).message}`);
      return;
    }
    this.trainer = trainer;
    trainer.onStderr((line) => {
      this.log.warn(`trainer: ${line}`);
      this.stderrTail = [...this.stderrTail, line].slice(-STDERR_LINES_KEPT);
    });
    const rejections = new RejectionLog('the trainer', (line) => this.log.warn(line));
    trainer.onRejected((problem) => rejections.reject(problem));
    trainer.onMessage((message) => {
      if (this.trainer !== trainer) return;
      if (this.state.state === 'stopping') this.armStopTimer(trainer);
      if (message.type === 'ready') trainer.send({ type: 'start', config, checkpointDir, resume, architecture });
      this.handle(message, checkpointDir);
    });
    trainer.onExit((exit) => {
      rejections.close();
      if (this.trainer === trainer) this.handleExit(exit, checkpointDir);
    });
  }

  private handle(message: TrainerToHostMessage, checkpointDir: string): void {
    switch (message.type) {
      case 'ready':
        // Before any run has reported its network, draw the one the trainer builds by default;
        // a run's own comes with `started`.
        if (!this.state.architecture) this.update({ architecture: message.architecture });
        break;
      case 'started':
        this.log.info(`training on ${message.backend} from step ${message.startStep}`);
        if (message.warning) this.log.warn(message.warning);
        this.records.set({ ...this.records.get(), checkpointDir, config: message.config, step: message.startStep });
        this.update({
          state: this.state.state === 'stopping' ? 'stopping' : 'running', config: message.config, architecture: message.architecture, backend: message.backend, step: message.startStep,
          totalSteps: message.config.steps, progress: message.history.progress, evaluations: message.history.evaluations,
          warning: message.warning ?? null, canResume: false, modelLoaded: true, phase: { kind: 'training' },
        });
        break;
      case 'progress':
        this.update({ step: message.progress.step, progress: [...this.state.progress, message.progress] });
        break;
      case 'evaluation':
        // Requested evaluations are added by evaluateTest when its promise resolves.
        if (message.requestId === undefined) {
          this.log.info(`${message.evaluation.split} accuracy ${(message.evaluation.accuracy * 100).toFixed(2)}% at step ${message.evaluation.step}`);
          this.update({ evaluations: [...this.state.evaluations, message.evaluation] });
        }
        break;
      case 'activations':
        this.update({ latestActivations: message.activations, initialActivations: this.state.initialActivations ?? message.activations });
        break;
      case 'checkpointSaved': {
        const record = this.records.get();
        if (record) this.records.set({ ...record, step: message.checkpoint.step });
        this.update({ lastCheckpoint: message.checkpoint });
        break;
      }
      case 'phase':
        this.update({ phase: message.phase });
        break;
      case 'runState':
        if (this.state.state !== 'stopping') this.update({ state: message.state });
        break;
      case 'finished': {
        const { summary } = message;
        this.log.info(`run ${summary.outcome} at step ${summary.stepsDone}: ${summary.imagesPerSec.toFixed(1)} images/s` +
          `${summary.test ? `, test accuracy ${(summary.test.accuracy * 100).toFixed(2)}%` : ''}`);
        const canResume = summary.outcome === 'stopped' && hasCheckpoint(checkpointDir);
        this.update({ state: summary.outcome, step: summary.stepsDone, canResume, phase: null, wallSec: this.endSession() });
        if (summary.outcome === 'finished') this.emit({ type: 'finished', summary });
        else this.emit({ type: 'stopped', end: this.runEnd(checkpointDir) });
        break;
      }
      case 'error':
        if (message.fatal) {
          this.fatalError = message.message;
          this.log.error(message.message);
        } else {
          this.log.warn(message.message);
        }
        break;
      case 'blockDetails':
      case 'gallery':
        // Replies to requests: their callers receive them.
        break;
      default: {
        const unknown: never = message;
        this.log.warn(`unhandled trainer message ${JSON.stringify(unknown)}`);
      }
    }
  }

  private handleExit(exit: TrainerExit, checkpointDir: string): void {
    this.trainer = null;
    clearTimeout(this.stopTimer);
    this.update({ modelLoaded: false });
    // A finished run's idle trainer ending, however, loses nothing.
    const expected = this.state.state === 'finished'
      || ((this.state.state === 'stopped' || this.state.state === 'stopping') && exit.code === 0 && this.fatalError === null);
    if (expected) {
      this.log.info('trainer process ended');
      // A stop requested before training began ends without a 'finished' message.
      if (this.state.state === 'stopping') {
        this.update({ state: 'stopped', canResume: hasCheckpoint(checkpointDir), phase: null, wallSec: this.endSession() });
        this.emit({ type: 'stopped', end: this.runEnd(checkpointDir) });
      }
      return;
    }
    const stderr = this.stderrTail.length > 0 ? ` (trainer's last output: ${this.stderrTail.join(' | ')})` : '';
    this.crash(this.fatalError ?? `${describeExit(exit)} at step ${this.state.step}${stderr}`, checkpointDir);
  }

  private crash(reason: string, checkpointDir?: string): void {
    const end = this.runEnd(checkpointDir);
    this.log.error(`training crashed: ${reason}`);
    this.update({ state: 'crashed', error: describeCrash(end, reason), canResume: end.checkpointStep !== null, phase: null, wallSec: this.endSession() });
    this.emit({ type: 'crashed', cause: reason, end });
  }

  /** Where the run got to, and the checkpoint Resume would load (the record follows every save). */
  private runEnd(checkpointDir: string | undefined): RunEnd {
    const record = this.records.get();
    const resumable = checkpointDir !== undefined && hasCheckpoint(checkpointDir) && record?.checkpointDir === checkpointDir;
    return { reachedStep: this.state.step, totalSteps: this.state.totalSteps, checkpointStep: resumable ? record.step : null };
  }

  /**
   * Ends the current trainer's session on the wall clock (once) and returns the run's total wall
   * time: every ended session of it, so a resumed run's "took" includes the time before the stop.
   */
  private endSession(): number | null {
    if (this.sessionStartedAt === null) return this.state.wallSec;
    const record = this.records.get();
    const wallSec = (record?.wallSec ?? 0) + (this.now() - this.sessionStartedAt) / 1000;
    this.sessionStartedAt = null;
    if (record) this.records.set({ ...record, wallSec });
    return wallSec;
  }
}
