// The host's session state machine: one training run at a time, driven through a
// TrainerConnection, publishing complete snapshots. It survives anything the trainer does
// (crash, kill, garbage on the wire) and remembers the last run so Resume works after a
// VS Code restart. No vscode import: tested against a fake trainer.
import { RunStore, hasCheckpointIn as hasCheckpoint, type StoredRun } from '../../runStore/runStore';
import type { RunWriter } from '../../runStore/runWriter';
import { seedResNetArchitecture, type ArchitectureSpec } from '../../shared/architecture';
import type { ErrorGallery, GalleryQuery } from '../../shared/errorGallery';
import { computeModelFigures } from '../../shared/modelFigures';
import { RejectionLog } from '../../shared/rejectionLog';
import type { StartMessage, TrainerToHostMessage } from '../../shared/trainerProtocol';
import type { TrainingConfig } from '../../shared/trainingConfig';
import type { BlockDetails, EvaluationReport, RunSummary } from '../../shared/trainingReports';
import { emptySnapshot, type SessionSnapshot, type SessionState } from '../../shared/webviewProtocol';
import { InsideViewRelay } from './insideViewRelay';
import { describeCrash, type RunEnd } from './runEndWording';
import type { TrainerConnection, TrainerExit, TrainerLauncher } from './trainerChannel';

/** The last run, persisted (VS Code globalState) so it can be resumed after a restart. */
export interface RunRecord {
  checkpointDir: string;
  /** The run's id in the run store (absent for a run recorded before the store existed). */
  runId?: string;
  /** The runs folder it is in, when not this window's own (a folder opened with Open Runs Folder…). */
  runsRoot?: string;
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

/**
 * Runs are trained by detached trainers that outlive this window (a reload never stops training).
 * windowId: this window, kept across reloads (its runs are reattached to, other windows' watched);
 * graceMs/keepTraining: what a trainer does when no window is attached (see DetachedRun);
 * attach: connects to the live trainer `pid` of the run in `runDir`.
 */
export interface Detachment {
  windowId: string;
  graceMs: number;
  keepTraining: () => boolean;
  attach: (runDir: string, pid: number) => TrainerConnection;
}

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

function describeExit(exit: TrainerExit): string {
  if (exit.signal) return `the trainer process was killed (${exit.signal})`;
  // A trainer this window did not launch is not its child: only its unreleased lock says it died.
  return exit.code === null ? 'the trainer process ended without finishing its run (killed, or crashed)' : `the trainer process exited with code ${exit.code}`;
}

export class TrainingSession {
  private state: SessionSnapshot = emptySnapshot();
  private trainer: TrainerConnection | null = null;
  private fatalError: string | null = null;
  private stderrTail: string[] = [];
  private stopTimer: NodeJS.Timeout | undefined;
  /** When the current trainer was launched (Date.now()); null once its session has ended. */
  private sessionStartedAt: number | null = null;
  /** The run folder the current trainer's events are written to (null: none is being written). */
  private writer: RunWriter | null = null;
  /** The run store under the runs root: every run this window or the CLI made. */
  readonly runs: RunStore;
  private readonly changeListeners: ((snapshot: SessionSnapshot) => void)[] = [];
  private readonly eventListeners: ((event: SessionEvent) => void)[] = [];
  /** The trainer followed was found running (reload, another window's run), not launched here. */
  private attached = false;
  /** It trains another window's run: this window watches (and may stop it), never resumes or deletes it. */
  private watching = false;
  /** Feature maps and digit predictions from this session's model, or from its last checkpoint. */
  readonly insideViews: InsideViewRelay;

  constructor(
    private readonly launch: TrainerLauncher,
    private readonly records: RunRecordStore,
    runsRoot: string,
    private readonly log: SessionLog,
    /** The wall clock, in ms (a test's own clock in tests). */
    private readonly now: () => number = Date.now,
    /** How runs outlive this window; none: each trainer is this window's child and the host records the run. */
    private readonly detachment?: Detachment,
  ) {
    this.runs = new RunStore(runsRoot, ({ entry, problem }) => log.warn(`runs folder: skipped ${entry}: ${problem}`), now, detachment?.windowId);
    this.insideViews = new InsideViewRelay(this, launch, log);
    const record = records.get();
    const stored = this.recordedRun();
    // A window reloaded the moment it launched a run may not have saved its record: the run's
    // lock, naming this window, still says which run is its own.
    const ownLive = detachment && !stored?.attachable ? this.runs.list().find((run) => run.attachable && !run.lockedElsewhere) : undefined;
    if (stored?.attachable && detachment) {
      // A window reloaded (or opened) while its run trains on: follow the trainer again.
      this.attach(stored, this.storeAt(record?.runsRoot));
    } else if (ownLive) {
      this.attach(ownLive, this.runs);
    } else if (stored) {
      this.state = this.storedRunSnapshot(stored, this.storeAt(record?.runsRoot));
    } else if (record && hasCheckpoint(record.checkpointDir)) {
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

  /** The run shown (being trained, or last opened, started or resumed here), if it is in the store. */
  get currentRunId(): string | undefined {
    return this.records.get()?.runId;
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

  /** The trainer process holding this run's model, if one is up. */
  get liveTrainer(): TrainerConnection | null {
    return this.trainer && !this.trainer.exited && this.state.modelLoaded ? this.trainer : null;
  }

  /** The last run, if its checkpoint is on disk. */
  get lastCheckpointedRun(): RunRecord | undefined {
    const record = this.records.get();
    return record && hasCheckpoint(record.checkpointDir) ? record : undefined;
  }

  /** The run shown (last trained, resumed or opened here), checkpoint or not. */
  get shownRun(): RunRecord | undefined {
    return this.records.get();
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
   * A new run from step 0, in its own folder of the run store; no other run is touched.
   * architecture: the network to train (a checked architecture file's); none = the seed's.
   */
  start(config: TrainingConfig, architecture: ArchitectureSpec | null = null): void {
    if (this.isActive && !this.watching) throw new SessionBusyError();
    this.retireTrainer();
    const spec = architecture ?? seedResNetArchitecture(config.keepProb);
    const writer = this.runs.create(config, spec, 'extension');
    this.writer = writer;
    this.records.set({ checkpointDir: writer.checkpointDir, runId: writer.id, config, step: 0, wallSec: 0 });
    // The panel draws the network being started at once (the trainer confirms it in `started`).
    this.state = { ...emptySnapshot(), architecture: { spec, figures: computeModelFigures(spec) } };
    this.launchTrainer(config, writer, false, spec);
  }

  /**
   * Continues the run shown (or the run `runId`) from its checkpoint, in this window or after a
   * restart. A run another window or a terminal is training is refused (RunLockedError).
   */
  resume(runId?: string, store?: RunStore): void {
    if (this.isActive && !this.watching) throw new SessionBusyError();
    const record = this.records.get();
    const id = runId ?? record?.runId;
    const runs = store ?? this.storeAt(runId === undefined ? record?.runsRoot : undefined);
    if (id !== undefined) {
      const writer = runs.resume(id, 'extension');
      this.retireTrainer();
      this.writer = writer;
      const manifest = writer.current;
      const sameRun = record?.runId === id && record.checkpointDir === writer.checkpointDir;
      this.records.set({
        checkpointDir: writer.checkpointDir, runId: id, ...this.rootField(runs), config: manifest.config,
        step: sameRun ? record.step : manifest.metrics.stepsDone, wallSec: manifest.metrics.wallSec ?? 0,
      });
      if (!sameRun) this.state = this.storedRunSnapshot(runs.get(id)!, runs);
      this.launchTrainer(manifest.config, writer, true, null);
      return;
    }
    if (!record || !hasCheckpoint(record.checkpointDir)) throw new Error('There is no stopped run to resume. Start one with "Train ResNet on MNIST".');
    this.retireTrainer();
    // No network named: the trainer continues the checkpoint's own, and reports it in `started`.
    this.launchTrainer(record.config, record.checkpointDir, true, null);
  }

  /**
   * Follows the detached trainer found training `run` (this window's after a reload, or another
   * window's, then watched): the run's history so far comes in the trainer's replay, then its
   * live events; Stop acts on it.
   */
  private attach(run: StoredRun, store: RunStore): void {
    if (!this.detachment || run.lock.kind !== 'held') return;
    this.retireTrainer();
    const record = this.records.get();
    const sameRun = record?.runId === run.id && record.checkpointDir === run.checkpointDir;
    this.records.set({
      checkpointDir: run.checkpointDir, runId: run.id, ...this.rootField(store), config: run.manifest.config,
      step: sameRun ? record.step : run.manifest.metrics.stepsDone, wallSec: run.manifest.metrics.wallSec ?? 0,
    });
    this.attached = true;
    this.watching = run.lockedElsewhere;
    this.sessionStartedAt = null;
    this.fatalError = null;
    this.stderrTail = [];
    this.state = { ...this.storedRunSnapshot(run, store), state: 'running', canResume: false };
    this.log.info(`following the trainer (pid ${run.lock.owner.pid}) of run ${run.id}${this.watching ? ', which another window started' : ''}`);
    this.follow(this.detachment.attach(run.dir, run.lock.owner.pid), run.checkpointDir, () => {});
    this.update({});
  }

  /**
   * Shows a stored run (its curves, evaluations and status) as the panel's run; Resume then
   * applies to it. Not while this window trains another run.
   */
  open(runId: string, store: RunStore = this.runs): void {
    if (this.isActive && !this.watching && this.records.get()?.runId !== runId) throw new SessionBusyError();
    if (this.isActive && this.records.get()?.runId === runId) return;
    const run = store.get(runId);
    if (!run) throw new Error(`There is no run ${runId} in ${store.root}.`);
    if (run.attachable && this.detachment) {
      this.attach(run, store);
      return;
    }
    this.retireTrainer();
    this.records.set({
      checkpointDir: run.checkpointDir, runId, ...this.rootField(store), config: run.manifest.config, step: run.manifest.metrics.stepsDone, wallSec: run.manifest.metrics.wallSec ?? 0,
    });
    this.state = this.storedRunSnapshot(run, store);
    this.update({});
  }

  /** A run was deleted: if it is the one shown (and not training), the panel shows no run. */
  forget(runId: string): void {
    if (this.records.get()?.runId !== runId || this.isActive) return;
    this.retireTrainer();
    this.records.set(undefined);
    // No run is shown: the panel draws the network Train would build.
    this.state = emptySnapshot();
    this.update({});
  }

  /** This window's store, or the one at another runs folder. */
  private storeAt(root: string | undefined): RunStore {
    return root === undefined || root === this.runs.root ? this.runs
      : new RunStore(root, ({ entry, problem }) => this.log.warn(`runs folder ${root}: skipped ${entry}: ${problem}`), this.now, this.detachment?.windowId);
  }

  private rootField(store: RunStore): { runsRoot?: string } {
    return store === this.runs ? {} : { runsRoot: store.root };
  }

  /** What the panel shows for a run of the store that no trainer of this window is training. */
  private storedRunSnapshot(run: StoredRun, store: RunStore = this.runs): SessionSnapshot {
    const { manifest } = run;
    const history = store.history(run.id);
    const finished = run.status === 'finished';
    const state: SessionState = finished ? 'finished' : run.status === 'crashed' ? 'crashed' : 'stopped';
    const elsewhere = !run.lockedElsewhere ? null
      : run.attachable && this.detachment ? 'This run is running in another window: you are watching it live. It cannot be resumed or deleted here; Stop stops it for every window (it writes a checkpoint, so it can be resumed later).'
        : 'This run is being trained in another window or a terminal: compare it from the Runs view to watch it live; it cannot be resumed or deleted here.';
    return {
      ...emptySnapshot(),
      state, config: manifest.config, backend: manifest.backend, step: manifest.metrics.stepsDone, totalSteps: manifest.config.steps,
      architecture: { spec: manifest.architecture, figures: computeModelFigures(manifest.architecture) },
      progress: history.progress, evaluations: history.evaluations, initialActivations: history.initialActivations, latestActivations: history.latestActivations,
      error: run.status === 'crashed' ? (manifest.error ?? 'The process that trained this run ended without saying how (killed, or its window closed).') : null,
      canResume: !finished && run.hasCheckpoint && !run.lockedElsewhere, warning: elsewhere, wallSec: manifest.metrics.wallSec,
    };
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
    const { evaluation } = await this.trainer.askFor({ type: 'evaluate', split: 'test' });
    this.record((w) => w.evaluation(evaluation));
    this.update({ evaluations: [...this.state.evaluations, evaluation] });
    return evaluation;
  }

  describeBlock(blockId: string): Promise<BlockDetails> {
    if (!this.trainer || this.trainer.exited) {
      return Promise.reject(new Error('Live weights need a running trainer; resume the run to inspect them.'));
    }
    return this.trainer.askFor({ type: 'describeBlock', blockId }).then((reply) => reply.details);
  }

  /** An evaluation's images: from the run's trainer, or (stopped, finished, opened runs) from its run folder through an inspection trainer. */
  gallery(query: GalleryQuery): Promise<ErrorGallery> {
    return this.insideViews.gallery(query);
  }

  /** Ends the trainer: a graceful stop first, then a kill if it has not exited by graceMs. */
  async shutdown(graceMs: number): Promise<void> {
    this.insideViews.dispose();
    const trainer = this.trainer;
    if (!trainer || trainer.exited) return;
    if (trainer.detached) {
      // A window closing or reloading leaves its run training; the trainer decides what an
      // editor gone for good means (UNATTENDED_GRACE_MS).
      this.trainer = null;
      trainer.disconnect?.();
      return;
    }
    const exited = new Promise<void>((resolve) => trainer.onExit(() => resolve()));
    if (this.isActive) this.stop();
    else trainer.send({ type: 'stop' });
    const timer = new Promise<void>((resolve) => setTimeout(resolve, graceMs));
    await Promise.race([exited, timer]);
    trainer.kill();
  }

  /** Drops a finished trainer kept alive for inspection. */
  private retireTrainer(): void {
    const trainer = this.trainer;
    this.trainer = null;
    clearTimeout(this.stopTimer);
    if (trainer && !trainer.exited) {
      // Another window's trainer is only left; this window's own idle one (finished) is ended.
      if (this.watching) trainer.disconnect?.();
      else trainer.kill();
    }
    this.attached = false;
    this.watching = false;
  }

  /** Starts a trainer on `run` (its writer, or a bare checkpoint folder of a run from before the store). */
  private launchTrainer(config: TrainingConfig, run: RunWriter | string, resume: boolean, architecture: ArchitectureSpec | null): void {
    const checkpointDir = typeof run === 'string' ? run : run.checkpointDir;
    const runDir = typeof run === 'string' || !this.detachment ? undefined : run.dir;
    this.fatalError = null;
    this.stderrTail = [];
    this.sessionStartedAt = this.now();
    this.update({ state: 'starting', config, totalSteps: config.steps, error: null, warning: null, phase: null, wallSec: null });
    this.log.info(`${resume ? 'resuming' : 'starting'} ${config.preset} run: ${config.steps} steps × batch ${config.batchSize} on ${config.backend}; checkpoints in ${checkpointDir}`);
    const start: StartMessage = { type: 'start', config, checkpointDir, resume, architecture, detached: null };
    let trainer: TrainerConnection;
    try {
      trainer = runDir === undefined || !this.detachment ? this.launch(config) : this.launch(config, {
        ...start, detached: { runDir, windowId: this.detachment.windowId, graceMs: this.detachment.graceMs, keepTraining: this.detachment.keepTraining() },
      });
    } catch (error) {
      this.crash(`could not start the trainer process: ${(error as Error).message}`);
      return;
    }
    if (trainer.detached) {
      // It has its start orders and the run's lock already: it records the run from here on, and
      // a reload before it even answers finds it by the lock.
      this.writer = null;
      this.follow(trainer, checkpointDir, () => {});
      return;
    }
    this.follow(trainer, checkpointDir, () => trainer.send(start));
  }

  /** Listens to `trainer` as this window's; `ready` is answered by `onReady`. */
  private follow(trainer: TrainerConnection, checkpointDir: string, onReady: () => void): void {
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
      if (message.type === 'ready') onReady();
      this.handle(message, checkpointDir);
    });
    trainer.onExit((exit) => {
      rejections.close();
      if (this.trainer === trainer) this.handleExit(exit, checkpointDir, trainer.detached === true);
    });
  }

  private handle(message: TrainerToHostMessage, checkpointDir: string): void {
    switch (message.type) {
      case 'ready':
        // Answered by follow()'s onReady; the run's network is the one start() or the run's record set, or `started`'s.
        break;
      case 'started':
        this.log.info(`training on ${message.backend} from step ${message.startStep}`);
        if (message.warning) this.log.warn(message.warning);
        // A replay's startStep is where the run is now, not a checkpoint: Resume's step stays the record's.
        if (!this.attached) this.records.set({ ...this.records.get(), checkpointDir, config: message.config, step: message.startStep });
        this.record((w) => w.began(message.startStep, message.backend, message.execution));
        this.update({
          state: this.state.state === 'stopping' ? 'stopping' : 'running', config: message.config, architecture: message.architecture, backend: message.backend, step: message.startStep,
          totalSteps: message.config.steps, progress: message.history.progress, evaluations: message.history.evaluations,
          warning: message.warning ?? null, canResume: false, modelLoaded: true, phase: { kind: 'training' },
        });
        break;
      case 'progress':
        this.record((w) => w.progress(message.progress));
        this.update({ step: message.progress.step, progress: [...this.state.progress, message.progress] });
        break;
      case 'evaluation':
        // Requested evaluations are added by evaluateTest when its promise resolves.
        if (message.requestId === undefined) {
          this.log.info(`${message.evaluation.split} accuracy ${(message.evaluation.accuracy * 100).toFixed(2)}% at step ${message.evaluation.step}`);
          this.record((w) => w.evaluation(message.evaluation));
          this.update({ evaluations: [...this.state.evaluations, message.evaluation] });
        }
        break;
      case 'activations':
        this.record((w) => w.activations(message.activations));
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
        this.endWriter(summary.outcome, { summary });
        this.update({ state: summary.outcome, step: summary.stepsDone, canResume, phase: null, wallSec: this.attached ? this.recordedWallSec() : this.endSession() });
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
      case 'inspecting':
      case 'featureMaps':
      case 'digitPrediction':
      case 'probeDigits':
      case 'requestSuperseded':
        // Replies to requests: their callers receive them.
        break;
      default: {
        const unknown: never = message;
        this.log.warn(`unhandled trainer message ${JSON.stringify(unknown)}`);
      }
    }
  }

  private handleExit(exit: TrainerExit, checkpointDir: string, detached: boolean): void {
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
        this.endWriter('stopped', { stepsDone: this.state.step });
        this.update({ state: 'stopped', canResume: hasCheckpoint(checkpointDir), phase: null, wallSec: this.endSession() });
        this.emit({ type: 'stopped', end: this.runEnd(checkpointDir) });
      }
      return;
    }
    const stderr = this.stderrTail.length > 0 ? ` (trainer's last output: ${this.stderrTail.join(' | ')})` : '';
    // A detached trainer starts on its own and may fail before this window has connected to hear
    // why; it says why in run.json.
    const recorded = detached && this.fatalError === null ? this.recordedCrash() : null;
    this.crash(this.fatalError ?? recorded ?? `${describeExit(exit)} at step ${this.state.step}${stderr}`, checkpointDir);
  }

  private crash(reason: string, checkpointDir?: string): void {
    const end = this.runEnd(checkpointDir);
    this.log.error(`training crashed: ${reason}`);
    this.endWriter('crashed', { error: reason, stepsDone: this.state.step });
    this.update({ state: 'crashed', error: describeCrash(end, reason), canResume: end.checkpointStep !== null, phase: null, wallSec: this.endSession() });
    this.emit({ type: 'crashed', cause: reason, end });
  }

  /** Writes to the run folder; a failed write (a full disk) is logged and training goes on. */
  private record(write: (writer: RunWriter) => void): void {
    if (!this.writer || this.trainer?.detached) return;
    try {
      write(this.writer);
    } catch (error) {
      this.log.error(`could not write to run ${this.writer.id}: ${(error as Error).message}`);
    }
  }

  /** The run folder learns how the session ended, and its lock is released. */
  private endWriter(status: 'stopped' | 'finished' | 'crashed', details: Parameters<RunWriter['ended']>[1]): void {
    try {
      this.writer?.ended(status, details);
    } catch (error) {
      this.log.error(`could not record the end of run ${this.writer?.id}: ${(error as Error).message}`);
    }
    this.writer = null;
  }

  /** Where the run got to, and the checkpoint Resume would load (the record follows every save). */
  private runEnd(checkpointDir: string | undefined): RunEnd {
    const record = this.records.get();
    const resumable = checkpointDir !== undefined && hasCheckpoint(checkpointDir) && record?.checkpointDir === checkpointDir;
    return { reachedStep: this.state.step, totalSteps: this.state.totalSteps, checkpointStep: resumable ? record.step : null };
  }

  /** The run this window's record names, as its run folder has it now (none if the record names no run, or it is gone). */
  private recordedRun(): StoredRun | undefined {
    const record = this.records.get();
    return record?.runId !== undefined ? this.storeAt(record.runsRoot).get(record.runId) : undefined;
  }

  /** The reason a detached trainer recorded in run.json for its run's crash, if it did. */
  private recordedCrash(): string | null {
    const run = this.recordedRun();
    return run?.manifest.status === 'crashed' ? run.manifest.error : null;
  }

  /** The run's wall time as its detached trainer recorded it in run.json (it ended the session before saying so). */
  private recordedWallSec(): number | null {
    const record = this.records.get();
    const wallSec = this.recordedRun()?.manifest.metrics.wallSec ?? null;
    if (record && wallSec !== null) this.records.set({ ...record, wallSec });
    return wallSec ?? this.state.wallSec;
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
