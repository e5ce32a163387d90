// The host's side of the inside views (feature maps, digit predictions, probe digits) and of the
// error gallery. Requests go to the trainer that holds the run's model; when none does (a stopped
// run, a finished one after VS Code restarted, a run opened from the Runs view) a short-lived
// inspection trainer loads the run's last checkpoint, answers, and is ended after
// INSPECTOR_IDLE_MS without requests or as soon as a run starts. Galleries need no model, only
// the run's MNIST split and its run folder's stored predictions: asked for them alone, the
// inspection trainer loads no checkpoint (a light process, and it works for a run whose checkpoint
// retention removed); one that has loaded the model answers them too. No vscode import.
import type { ErrorGallery, GalleryQuery } from '../../shared/errorGallery';
import type { DigitPrediction, FeatureMapsReport, ProbeChoice, ProbeDigits } from '../../shared/insideViews';
import type { TrainerReplyTo, UnnumberedRequest } from '../../shared/trainerProtocol';
import type { SessionSnapshot } from '../../shared/webviewProtocol';
import type { TrainerConnection, TrainerLauncher } from './trainerProcess';
import type { RunRecord, SessionLog } from './trainingSession';

/** An inspection trainer with nothing to answer for this long is ended (it holds ~1 GB). */
export const INSPECTOR_IDLE_MS = 60_000;
/** An inspection trainer asked to stop that has not exited by then is killed. */
const INSPECTOR_STOP_GRACE_MS = 5_000;

/** What the relay needs from the session. */
export interface InsideViewHost {
  /** The trainer holding the session's model, if one is up. */
  readonly liveTrainer: TrainerConnection | null;
  /** The session is starting or training: its trainer will hold the model shortly. */
  readonly isActive: boolean;
  /** The last run, if its checkpoint is on disk. */
  readonly lastCheckpointedRun: RunRecord | undefined;
  /** The run shown (last trained, resumed or opened), checkpoint or not. */
  readonly shownRun: RunRecord | undefined;
  onDidChange(listener: (snapshot: SessionSnapshot) => void): () => void;
}

/** An inspection trainer of the run whose checkpoint folder is checkpointDir; withModel: it loaded the checkpoint (else it answers galleries only). */
interface Inspector { trainer: TrainerConnection; checkpointDir: string; withModel: boolean; loaded: Promise<void> }

export class InsideViewRelay {
  private inspector: Inspector | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: InsideViewHost, private readonly launch: TrainerLauncher, private readonly log: SessionLog, private readonly idleMs = INSPECTOR_IDLE_MS) {
    // A run starting takes the machine; the inspection trainer's answers would be stale anyway.
    host.onDidChange((snapshot) => {
      if (snapshot.state === 'starting') this.retireInspector();
    });
  }

  async featureMaps(blockId: string, probe: ProbeChoice): Promise<FeatureMapsReport> {
    return (await this.askFor({ type: 'requestFeatureMaps', blockId, probe })).maps;
  }

  async predict(pixels: string): Promise<DigitPrediction> {
    return (await this.askFor({ type: 'predictDigit', pixels })).prediction;
  }

  async probeDigits(): Promise<ProbeDigits> {
    return (await this.askFor({ type: 'requestProbeDigits' })).probes;
  }

  /** The images of one cell (or the most confidently wrong) of an evaluation of the shown run, as it saw them. */
  async gallery(query: GalleryQuery): Promise<ErrorGallery> {
    return (await this.askFor({ type: 'gallery', query })).gallery;
  }

  /** The inspection trainer process, while one is up (for tests and the log). */
  get inspectionTrainer(): TrainerConnection | null {
    return this.inspector?.trainer ?? null;
  }

  private async askFor<R extends UnnumberedRequest>(request: R): Promise<TrainerReplyTo<R['type']>> {
    return (await this.trainerFor(request.type === 'gallery' ? 'storedPredictions' : 'model')).askFor(request);
  }

  /** The trainer to ask: the run's own, or an inspection trainer of the shown run (with its checkpoint loaded if the request needs the model). */
  private async trainerFor(needs: 'model' | 'storedPredictions'): Promise<TrainerConnection> {
    const live = this.host.liveTrainer;
    if (live) {
      this.retireInspector();
      return live;
    }
    if (this.host.isActive) throw new Error('The model is still loading; the views fill in once training has started.');
    const run = needs === 'model' ? this.host.lastCheckpointedRun : this.host.shownRun;
    if (!run) {
      throw new Error(needs === 'model' ? 'There is no trained model yet: start a run to see what the network sees.' : 'No run is shown: start or open one to see the images of its evaluations.');
    }
    const withModel = needs === 'model';
    if (this.inspector?.checkpointDir !== run.checkpointDir || (withModel && !this.inspector.withModel)) this.startInspector(run, withModel);
    this.keepAlive();
    const inspector = this.inspector!;
    await inspector.loaded;
    return inspector.trainer;
  }

  private startInspector(run: RunRecord, withModel: boolean): void {
    this.retireInspector();
    this.log.info(withModel ? `loading the checkpoint in ${run.checkpointDir} in an inspection trainer` : `reading the stored evaluations of the run of ${run.checkpointDir} in an inspection trainer`);
    const trainer = this.launch(run.config);
    const loaded = new Promise<void>((resolve, reject) => {
      trainer.onMessage((message) => {
        if (message.type === 'ready') trainer.send({ type: 'inspect', config: run.config, checkpointDir: run.checkpointDir, loadModel: withModel });
        else if (message.type === 'inspecting') resolve();
        else if (message.type === 'error' && message.fatal) reject(new Error(message.message));
      });
      trainer.onExit(() => {
        reject(new Error(`the inspection trainer ended before ${withModel ? 'its checkpoint was loaded' : 'it was ready'}`));
        if (this.inspector?.trainer === trainer) this.inspector = null;
      });
    });
    // Every request awaits `loaded`; this only keeps an unawaited rejection from being reported.
    loaded.catch(() => {});
    trainer.onRejected((problem) => this.log.warn(`dropped a malformed message from the inspection trainer: ${problem}`));
    trainer.onStderr((line) => this.log.warn(`inspection trainer: ${line}`));
    this.inspector = { trainer, checkpointDir: run.checkpointDir, withModel, loaded };
  }

  private keepAlive(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.retireInspector(), this.idleMs);
    this.idleTimer.unref?.();
  }

  /** Ends the inspection trainer: it holds nothing that needs saving, so a stop, then a kill. */
  private retireInspector(): void {
    clearTimeout(this.idleTimer);
    const inspector = this.inspector;
    if (!inspector) return;
    this.inspector = null;
    this.log.info('ending the inspection trainer');
    inspector.trainer.send({ type: 'stop' });
    setTimeout(() => inspector.trainer.kill(), INSPECTOR_STOP_GRACE_MS).unref?.();
  }

  dispose(): void {
    this.retireInspector();
    this.inspector = null;
  }
}
