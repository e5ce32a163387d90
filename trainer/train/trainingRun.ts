// The training loop. It knows nothing of IPC, terminals or VS Code: it reports through an event
// sink and obeys a RunControl (pause gate, stop flag), so the CLI, the child process and the
// tests all drive the same code. Which network it trains, what a checkpoint holds, evaluations
// and inspection each live in their own file; this one holds the run's state and its steps.
import * as tf from '@tensorflow/tfjs-core';
import type { ArchitectureSpec } from '../../shared/architecture';
import { computeModelFigures } from '../../shared/modelFigures';
import type { ErrorGallery, GalleryQuery } from '../../shared/errorGallery';
import { remainingRunSec } from '../../shared/runEta';
import type { TrainingConfig } from '../../shared/trainingConfig';
import type {
  ActivationReport, ArchitectureReport, BlockDetails, CheckpointReport, EvaluationReport, EvaluationSplit, ProgressReport, RunHistory, RunSummary,
} from '../../shared/trainingReports';
import { PredictionFiles } from '../../runStore/predictionFiles';
import { architectureHash } from '../checkpoint/architectureHash';
import { CheckpointStore } from '../checkpoint/checkpointStore';
import { checkpointTensors, checkpointToResume, restoreCheckpoint, resumeWarning } from '../checkpoint/runCheckpoint';
import { initialDataOrder, TrainingBatches } from '../data/trainingBatches';
import { RunEvaluations } from '../evaluation/runEvaluations';
import type { InsideViewSource } from '../inspection/insideViewSource';
import { RunInspection } from '../inspection/runInspection';
import type { MnistDataset } from '../mnist';
import { checkBuiltModel } from '../model/checkBuiltModel';
import { deriveSeed, SEED_PURPOSE } from '../random/seededRandom';
import { adamSettingsFor } from './adamSettings';
import { chooseRunArchitecture } from './chooseRunArchitecture';
import { createStepEngine } from './createStepEngine';
import type { RunControl, TrainingEventSink } from './runEvents';
import { checkpointsAfter, evaluatesAfter, measuresStep } from './runSchedule';
import type { Execution, StepEngine } from './stepEngine';

export interface TrainingRunOptions {
  config: TrainingConfig;
  /**
   * The network to train (an architecture file's); none = the seed network with config.keepProb.
   * When resuming, the checkpoint's network is trained, and a different one here is refused.
   */
  architecture?: ArchitectureSpec;
  dataset: MnistDataset;
  backend: string;
  /** Where checkpoints go; none = no checkpoints (benchmarks, some tests). */
  checkpointDir?: string;
  /** Continue from checkpointDir's checkpoint (its config wins over `config` for everything but steps). */
  resume: boolean;
  /**
   * How steps run: 'graph' (one TensorFlow graph per step, native backend only, the default
   * there) or 'eager' (tfjs ops; any backend). The maths is the same.
   */
  execution?: Execution;
}

export class TrainingRun {
  readonly architecture: ArchitectureReport;
  /** Written with the spec in every checkpoint header. */
  private readonly architectureHash: string;
  readonly config: TrainingConfig;
  readonly startStep: number;
  readonly history: RunHistory;
  /** Set when resuming had to fall back to the previous checkpoint, or changed step engine. */
  readonly resumeWarning?: string;
  /** Set when this libtensorflow could not run the training graph and steps run as eager ops. */
  readonly executionWarning?: string;
  private readonly engine: StepEngine;
  private readonly evaluations: RunEvaluations;
  private readonly inspection: RunInspection;
  private readonly batches: TrainingBatches;
  private readonly store?: CheckpointStore;
  private step: number;
  private trainSec: number;
  /** Timed from this run's own checkpoint writes, for the ETA. */
  private secPerCheckpoint: number | null = null;

  constructor(private readonly options: TrainingRunOptions) {
    this.store = options.checkpointDir ? new CheckpointStore(options.checkpointDir) : undefined;
    const checkpoint = options.resume ? checkpointToResume(this.store) : null;
    // A resumed run keeps its original settings; only the step budget may be extended.
    this.config = checkpoint ? { ...checkpoint.header.config, steps: Math.max(options.config.steps, checkpoint.header.step) } : options.config;
    // Before clearing anything: a network that cannot be trained leaves the last run's checkpoints be.
    const arch = chooseRunArchitecture(options.architecture, this.config, checkpoint);
    this.architectureHash = architectureHash(arch);
    // A fresh run into a folder that holds an older run's checkpoints replaces them.
    if (!options.resume) this.store?.clear();
    const setup = { arch, init: { scheme: this.config.init, denseScale: this.config.denseInitScale }, seed: this.config.seed, adam: adamSettingsFor(this.config, arch) };
    const { engine, warning } = createStepEngine(setup, options.execution);
    this.engine = engine;
    if (warning) this.executionWarning = warning;
    this.architecture = { spec: arch, figures: computeModelFigures(arch) };
    checkBuiltModel(this.engine.model, this.architecture.figures);
    this.evaluations = new RunEvaluations(engine, options.dataset, PredictionFiles.ofCheckpointFolder(options.checkpointDir));
    this.inspection = new RunInspection(engine, options.dataset.validation);
    if (checkpoint) {
      try {
        restoreCheckpoint(checkpoint, this.engine);
      } catch (error) {
        // The caller never gets this run to dispose: free the graph session and data here.
        this.dispose();
        throw error;
      }
      this.step = checkpoint.header.step;
      this.trainSec = checkpoint.header.trainSec;
      this.history = checkpoint.header.history;
      this.batches = new TrainingBatches(options.dataset.train, checkpoint.header.dataOrder, this.config.labelSmoothing);
      const warning = resumeWarning(checkpoint, this.execution);
      if (warning) this.resumeWarning = warning;
    } else {
      this.step = 0;
      this.trainSec = 0;
      this.history = { progress: [], evaluations: [] };
      this.batches = new TrainingBatches(options.dataset.train, initialDataOrder(deriveSeed(this.config.seed, SEED_PURPOSE.dataOrder)), this.config.labelSmoothing);
    }
    this.startStep = this.step;
  }

  /** How steps run (see TrainingRunOptions.execution). */
  get execution(): Execution {
    return this.engine.execution;
  }

  get currentStep(): number {
    return this.step;
  }

  /** Saves weights, Adam state, step, data order and history; returns where. */
  saveCheckpoint(): CheckpointReport | null {
    if (!this.store) return null;
    const bytes = this.store.save({
      savedAt: new Date().toISOString(),
      step: this.step,
      config: this.config,
      architecture: this.architecture.spec,
      architectureHash: this.architectureHash,
      dataOrder: this.batches.state,
      adamIteration: this.engine.iteration,
      execution: this.execution,
      trainSec: this.trainSec,
      history: this.history,
    }, checkpointTensors(this.engine));
    return { step: this.step, path: this.store.latestPath, bytes };
  }

  /** Accuracy on a whole split; `onBatch` hears how many images are done. Keeps the predictions for the gallery. */
  evaluate(split: EvaluationSplit, onBatch?: (done: number, total: number) => void): EvaluationReport {
    return this.evaluations.evaluate(split, this.step, onBatch);
  }

  /** Images of one confusion-matrix cell (or the most confidently wrong) as that evaluation saw them. */
  gallery(query: GalleryQuery): ErrorGallery {
    return this.evaluations.gallery(query);
  }

  activations(): ActivationReport {
    return this.inspection.activations(this.step);
  }

  describeBlock(blockId: string): BlockDetails {
    return this.inspection.describeBlock(this.architecture.spec, blockId, this.step);
  }

  /** The inside views' window on this run: current weights, the trainer's forward pass, validation digits. */
  get insideView(): InsideViewSource {
    return this.inspection.insideView(this.step);
  }

  /** One optimisation step; returns the batch and its loss (before the update), for measure(). */
  private trainStep(): { images: tf.Tensor4D; oneHotLabels: tf.Tensor2D; loss: tf.Scalar } {
    const { images, oneHotLabels } = this.batches.next(this.config.batchSize);
    const dropoutSeed = deriveSeed(this.config.seed, SEED_PURPOSE.dropout, this.step);
    return { images, oneHotLabels, loss: this.engine.step(images, oneHotLabels, dropoutSeed) };
  }

  /** The step's loss, and accuracy on its batch as the seed reports it: dropout off (keep_prob 1.0), updated weights. */
  private measure(images: tf.Tensor4D, oneHotLabels: tf.Tensor2D, loss: tf.Scalar): { loss: number; batchAccuracy: number } {
    const accuracy = tf.tidy(() => {
      const logits = this.engine.logits(images);
      return tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(oneHotLabels, 1)), 'float32'));
    });
    const measured = { loss: loss.dataSync()[0]!, batchAccuracy: accuracy.dataSync()[0]! };
    accuracy.dispose();
    return measured;
  }

  /** A scheduled evaluation, kept in the run's history and reported. */
  private recordEvaluation(sink: TrainingEventSink, split: EvaluationSplit): EvaluationReport {
    const evaluation = this.evaluations.scheduled(split, this.step, sink.phase?.bind(sink));
    this.history.evaluations.push(evaluation);
    sink.evaluation(evaluation);
    return evaluation;
  }

  private checkpoint(sink: TrainingEventSink): void {
    if (!this.store) return;
    sink.phase?.({ kind: 'checkpointing' });
    const t0 = performance.now();
    const saved = this.saveCheckpoint();
    this.secPerCheckpoint = (performance.now() - t0) / 1000;
    if (saved) sink.checkpointSaved(saved);
  }

  /** Trains until the step budget is spent or a stop is requested. */
  async run(control: RunControl, sink: TrainingEventSink): Promise<RunSummary> {
    const { config } = this;
    const { validation, test } = this.options.dataset;
    const wallStart = performance.now();
    const trainSecAtStart = this.trainSec;
    const reportStartingActivations = this.inspection.activationsHeldAt(this.step, (activations) => sink.activations(activations));
    let firstStepEndedAt: number | undefined;
    let windowSteps = 0;
    let windowSec = 0;
    while (this.step < config.steps) {
      await control.waitWhilePaused();
      if (control.stopRequested) break;
      const stepNumber = this.step + 1;
      const measure = measuresStep(stepNumber, config, this.startStep);
      const t0 = performance.now();
      const { images, oneHotLabels, loss } = this.trainStep();
      // Training time excludes the log step's extra accuracy pass, as the benchmark peers count it.
      const stepSec = (performance.now() - t0) / 1000;
      firstStepEndedAt ??= Date.now();
      const measured = measure ? this.measure(images, oneHotLabels, loss) : null;
      tf.dispose([images, oneHotLabels, loss]);
      this.step = stepNumber;
      this.trainSec += stepSec;
      windowSec += stepSec;
      windowSteps += 1;
      if (measured) {
        const secPerStep = windowSec / windowSteps;
        const progress: ProgressReport = {
          step: this.step, totalSteps: config.steps, epoch: this.batches.state.epoch, ...measured,
          imagesPerSec: (windowSteps * config.batchSize) / windowSec,
          etaSec: remainingRunSec({
            step: this.step, config, secPerStep, validationImages: validation.count, testImages: test.count,
            secPerEvalImage: this.evaluations.secPerImage, secPerCheckpoint: this.secPerCheckpoint,
          }),
          elapsedSec: this.trainSec,
        };
        windowSteps = 0;
        windowSec = 0;
        this.history.progress.push(progress);
        sink.progress(progress);
      }
      reportStartingActivations();
      const evaluates = evaluatesAfter(this.step, config);
      const checkpoints = checkpointsAfter(this.step, config);
      if (evaluates) {
        this.recordEvaluation(sink, 'validation');
        sink.activations(this.activations());
      }
      if (checkpoints) this.checkpoint(sink);
      if (evaluates || (checkpoints && this.store)) sink.phase?.({ kind: 'training' });
      // Let pause/stop/inspect messages in between steps.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    reportStartingActivations();
    const finished = this.step >= config.steps;
    const finalValidation = finished ? this.recordEvaluation(sink, 'validation') : undefined;
    const testEvaluation = finished ? this.recordEvaluation(sink, 'test') : undefined;
    if (finished) sink.activations(this.activations());
    this.checkpoint(sink);
    const trainSec = this.trainSec - trainSecAtStart;
    return {
      outcome: finished ? 'finished' : 'stopped',
      config,
      stepsDone: this.step,
      backend: this.options.backend,
      wallSec: (performance.now() - wallStart) / 1000,
      trainSec,
      imagesPerSec: trainSec > 0 ? ((this.step - this.startStep) * config.batchSize) / trainSec : 0,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      ...(firstStepEndedAt !== undefined ? { firstStepEndedAt } : {}),
      ...(finalValidation ? { finalValidation } : {}),
      ...(testEvaluation ? { test: testEvaluation } : {}),
    };
  }

  dispose(): void {
    this.engine.dispose();
    this.inspection.dispose();
  }
}
