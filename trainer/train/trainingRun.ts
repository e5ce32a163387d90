// The training loop. It knows nothing of IPC, terminals or VS Code: it reports through an event
// sink and obeys a RunControl (pause gate, stop flag), so the CLI, the child process and the
// tests all drive the same code.
import * as tf from '@tensorflow/tfjs-core';
import { seedResNetArchitecture, type ArchitectureSpec } from '../../shared/architecture';
import { checkArchitecture, describeArchitectureProblems } from '../../shared/architectureCheck';
import { ArchitectureError } from '../../shared/architectureError';
import { firstArchitectureDifference } from '../../shared/architectureDifference';
import { computeModelFigures } from '../../shared/modelFigures';
import type { ErrorGallery, GalleryQuery } from '../../shared/errorGallery';
import { remainingRunSec } from '../../shared/runEta';
import type { RunPhase } from '../../shared/runPhase';
import type { TrainingConfig } from '../../shared/trainingConfig';
import type {
  ActivationReport, ArchitectureReport, BlockDetails, CheckpointReport, EvaluationReport, EvaluationSplit, ProgressReport, RunHistory, RunSummary,
} from '../../shared/trainingReports';
import { architectureHash } from '../checkpoint/architectureHash';
import { checkpointArchitecture } from '../checkpoint/checkpointFormat';
import { CheckpointStore, type LoadedCheckpoint } from '../checkpoint/checkpointStore';
import { exampleRange, imageBatch, labelBatch } from '../data/batchTensors';
import { initialDataOrder, TrainingBatches } from '../data/trainingBatches';
import type { MnistDataset, MnistSplit } from '../mnist';
import { checkBuiltModel } from '../model/checkBuiltModel';
import { readStoredData, type StoredTensors } from '../model/parameterStore';
import { ResNetModel } from '../model/resnetModel';
import { deriveSeed, SEED_PURPOSE } from '../random/seededRandom';
import type { InsideViewSource } from '../inspection/insideViewSource';
import { probeActivations } from '../stats/activationStats';
import { weightStats } from '../stats/weightStats';
import { adamSettingsFor } from './adamSettings';
import { EvaluationPredictions } from '../evaluation/evaluationPredictions';
import { evaluateSplit } from './evaluate';
import { createStepEngine } from './createStepEngine';
import { describeExecution, type Execution, type StepEngine } from './stepEngine';

/** The first 256 validation images: a fixed batch whose activations are compared over time. */
export const PROBE_EXAMPLES = 256;

export interface RunControl {
  /** Resolves when training may take its next step. */
  waitWhilePaused(): Promise<void>;
  readonly stopRequested: boolean;
}

export interface TrainingEventSink {
  progress(progress: ProgressReport): void;
  evaluation(evaluation: EvaluationReport): void;
  activations(activations: ActivationReport): void;
  checkpointSaved(checkpoint: CheckpointReport): void;
  /** The run moved between training, evaluating and writing a checkpoint (or an evaluation advanced). */
  phase?(phase: RunPhase): void;
}

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

/**
 * The network this run trains: a resumed run's is its checkpoint's (the one asked for must be the
 * same, or resuming is refused naming the first difference), a fresh run's is the one asked for.
 */
function chooseArchitecture(options: TrainingRunOptions, config: TrainingConfig, checkpoint: LoadedCheckpoint | null): ArchitectureSpec {
  const requested = options.architecture;
  if (checkpoint) {
    const stored = checkpointArchitecture(checkpoint.header);
    const difference = requested ? firstArchitectureDifference(stored, requested) : null;
    if (difference) throw new ResumeError(`Cannot resume ${checkpoint.path} with this network: its weights belong to another one (${difference}). Resume without an architecture file to continue its own network, or start a new run.`);
    return stored;
  }
  const spec = requested ?? seedResNetArchitecture(config.keepProb);
  const checked = checkArchitecture(spec);
  if (!checked.ok) throw new ArchitectureError(spec.name, `this network cannot be trained: ${describeArchitectureProblems(checked.problems)}`);
  return spec;
}

export class ResumeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResumeError';
  }
}

/** Everything that must match for a checkpoint to continue this run exactly. */
function checkResumable(checkpoint: LoadedCheckpoint, model: ResNetModel<StoredTensors>): void {
  for (const spec of model.specs) {
    for (const name of [spec.name, `${spec.name}/adam_m`, `${spec.name}/adam_v`]) {
      const stored = checkpoint.tensors.get(name);
      if (!stored) throw new ResumeError(`${checkpoint.path}: has no tensor ${name}; it was made for another architecture`);
      if (stored.shape.join() !== spec.shape.join()) throw new ResumeError(`${checkpoint.path}: ${name} has shape ${stored.shape.join('×')}, the model needs ${spec.shape.join('×')}`);
    }
  }
}

export class TrainingRun {
  readonly architecture: ArchitectureReport;
  /** Written with the spec in every checkpoint header. */
  private readonly architectureHash: string;
  readonly config: TrainingConfig;
  readonly startStep: number;
  readonly history: RunHistory;
  /** Set when resuming had to fall back to the previous checkpoint. */
  readonly resumeWarning?: string;
  /** Set when this libtensorflow could not run the training graph and steps run as eager ops. */
  readonly executionWarning?: string;
  private readonly engine: StepEngine;
  private readonly train: MnistSplit;
  private readonly validation: MnistSplit;
  private readonly test: MnistSplit;
  private readonly probeImages: tf.Tensor4D;
  private readonly probeLabels: tf.Tensor1D;
  private readonly batches: TrainingBatches;
  private readonly store?: CheckpointStore;
  /** Every evaluation's per-image predictions, for the error gallery. */
  private readonly predictions = new EvaluationPredictions();
  private step: number;
  private trainSec: number;
  /** Timed from this run's own evaluations and checkpoint writes, for the ETA. */
  private secPerEvalImage: number | null = null;
  private secPerCheckpoint: number | null = null;

  constructor(private readonly options: TrainingRunOptions) {
    this.store = options.checkpointDir ? new CheckpointStore(options.checkpointDir) : undefined;
    const checkpoint = options.resume ? this.loadCheckpoint() : null;
    // A resumed run keeps its original settings; only the step budget may be extended.
    this.config = checkpoint ? { ...checkpoint.header.config, steps: Math.max(options.config.steps, checkpoint.header.step) } : options.config;
    // Before clearing anything: a network that cannot be trained leaves the last run's checkpoints be.
    const arch = chooseArchitecture(options, this.config, checkpoint);
    this.architectureHash = architectureHash(arch);
    // A fresh run into a folder that holds an older run's checkpoints replaces them.
    if (!options.resume) this.store?.clear();
    const setup = { arch, init: { scheme: this.config.init, denseScale: this.config.denseInitScale }, seed: this.config.seed, adam: adamSettingsFor(this.config, arch) };
    const { engine, warning } = createStepEngine(setup, options.execution);
    this.engine = engine;
    if (warning) this.executionWarning = warning;
    this.architecture = { spec: arch, figures: computeModelFigures(arch) };
    checkBuiltModel(this.model, this.architecture.figures);
    ({ train: this.train, validation: this.validation, test: this.test } = options.dataset);
    const probe = exampleRange(0, Math.min(PROBE_EXAMPLES, this.validation.count));
    this.probeImages = imageBatch(this.validation, probe);
    this.probeLabels = labelBatch(this.validation, probe);
    if (checkpoint) {
      try {
        checkResumable(checkpoint, this.model);
        this.restore(checkpoint);
      } catch (error) {
        // The caller never gets this run to dispose: free the graph session and data here.
        this.dispose();
        throw error;
      }
      this.step = checkpoint.header.step;
      this.trainSec = checkpoint.header.trainSec;
      this.history = checkpoint.header.history;
      this.batches = new TrainingBatches(this.train, checkpoint.header.dataOrder, this.config.labelSmoothing);
      const written = checkpoint.header.execution ?? 'eager';
      const engineChange = written === this.execution ? undefined
        : `This run's checkpoint was trained with ${describeExecution(written)} and continues with ${describeExecution(this.execution)}: the same maths, but from here the numbers differ from an uninterrupted run by float rounding.`;
      const warnings = [checkpoint.warning, engineChange].filter(Boolean);
      if (warnings.length > 0) this.resumeWarning = warnings.join(' ');
    } else {
      this.step = 0;
      this.trainSec = 0;
      this.history = { progress: [], evaluations: [] };
      this.batches = new TrainingBatches(this.train, initialDataOrder(deriveSeed(this.config.seed, SEED_PURPOSE.dataOrder)), this.config.labelSmoothing);
    }
    this.startStep = this.step;
  }

  private loadCheckpoint(): LoadedCheckpoint {
    if (!this.store) throw new ResumeError('Cannot resume: no checkpoint folder was given.');
    this.store.cleanTemporaries();
    const checkpoint = this.store.load();
    if (!checkpoint) throw new ResumeError(`Cannot resume: there is no checkpoint in ${this.store.dir}.`);
    return checkpoint;
  }

  private restore(checkpoint: LoadedCheckpoint): void {
    const assign = (store: StoredTensors, index: number, name: string) => {
      const stored = checkpoint.tensors.get(name)!;
      tf.tidy(() => store.assign(index, tf.tensor(stored.data, stored.shape)));
    };
    this.model.specs.forEach((spec, i) => {
      assign(this.model.parameters, i, spec.name);
      assign(this.engine.m, i, `${spec.name}/adam_m`);
      assign(this.engine.v, i, `${spec.name}/adam_v`);
    });
    this.engine.iteration = checkpoint.header.adamIteration;
  }

  /** How steps run (see TrainingRunOptions.execution). */
  get execution(): Execution {
    return this.engine.execution;
  }

  private get model(): ResNetModel<StoredTensors> {
    return this.engine.model;
  }

  get currentStep(): number {
    return this.step;
  }

  /** Saves weights, Adam state, step, data order and history; returns where. */
  saveCheckpoint(): CheckpointReport | null {
    if (!this.store) return null;
    const tensors = this.model.specs.flatMap((spec, i) => [
      { name: spec.name, shape: spec.shape, data: () => readStoredData(this.model.parameters, i) },
      { name: `${spec.name}/adam_m`, shape: spec.shape, data: () => readStoredData(this.engine.m, i) },
      { name: `${spec.name}/adam_v`, shape: spec.shape, data: () => readStoredData(this.engine.v, i) },
    ]);
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
    }, tensors);
    return { step: this.step, path: this.store.latestPath, bytes };
  }

  /** Accuracy on a whole split; `onBatch` hears how many images are done. Keeps the predictions for the gallery. */
  evaluate(split: EvaluationSplit, onBatch?: (done: number, total: number) => void): EvaluationReport {
    const { report, predictions } = evaluateSplit(this.engine, split === 'test' ? this.test : this.validation, split, this.step, onBatch);
    this.predictions.remember(predictions);
    return report;
  }

  /** Images of one confusion-matrix cell (or the most confidently wrong) as that evaluation saw them. */
  gallery(query: GalleryQuery): ErrorGallery {
    return this.predictions.gallery(query, query.split === 'test' ? this.options.dataset.test : this.options.dataset.validation);
  }

  activations(): ActivationReport {
    return probeActivations(this.model, this.probeImages, this.probeLabels, this.step);
  }

  /**
   * Reports the activations at the weights this run starts from once its first step is done, from
   * those weights held aside, so the first step (and the first progress a user sees) does not wait
   * for the probe's cold start (eager kernels on 256 images: seconds). Returns the function that
   * does it: call it after the first step, or at the end if no step was taken.
   */
  private startingActivations(sink: TrainingEventSink): () => void {
    let held: tf.Tensor[] | undefined = this.model.parameters.readAll();
    const step = this.step;
    return () => {
      if (!held) return;
      try {
        sink.activations(probeActivations(this.model, this.probeImages, this.probeLabels, step, held));
      } finally {
        tf.dispose(held);
        held = undefined;
      }
    };
  }

  describeBlock(blockId: string): BlockDetails {
    const block = this.architecture.spec.blocks.find((b) => b.id === blockId);
    if (!block) throw new Error(`There is no block "${blockId}"; blocks are ${this.architecture.spec.blocks.map((b) => b.id).join(', ')}.`);
    const weights = this.model.specs.flatMap((spec, i) => {
      if (spec.blockId !== blockId) return [];
      const values = this.model.parameters.read(i);
      const stats = weightStats(spec.name, values);
      values.dispose();
      return [stats];
    });
    const activations = this.activations().layers.filter((l) => l.blockId === blockId);
    return { blockId, step: this.step, weights, activations };
  }

  /** The inside views' window on this run: current weights, the trainer's forward pass, validation digits. */
  get insideView(): InsideViewSource {
    return { model: this.model, logits: (images) => this.engine.logits(images), validation: this.options.dataset.validation, step: this.step };
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

  /** A scheduled evaluation, its progress reported as a phase and its time kept for the ETA. */
  private recordEvaluation(sink: TrainingEventSink, split: EvaluationSplit): EvaluationReport {
    const kind = split === 'test' ? 'testing' : 'validating';
    const total = (split === 'test' ? this.test : this.validation).count;
    sink.phase?.({ kind, done: 0, total });
    const t0 = performance.now();
    const evaluation = this.evaluate(split, (done) => sink.phase?.({ kind, done, total }));
    this.secPerEvalImage = (performance.now() - t0) / 1000 / evaluation.examples;
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
    const wallStart = performance.now();
    const trainSecAtStart = this.trainSec;
    const reportStartingActivations = this.startingActivations(sink);
    let firstStepEndedAt: number | undefined;
    let windowSteps = 0;
    let windowSec = 0;
    while (this.step < config.steps) {
      await control.waitWhilePaused();
      if (control.stopRequested) break;
      const stepNumber = this.step + 1;
      // Progress after this process's first step too, so a user (and the panel) sees training
      // under way seconds after starting it rather than logEvery steps later.
      const measure = stepNumber % config.logEvery === 0 || stepNumber === config.steps || stepNumber === this.startStep + 1;
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
            step: this.step, config, secPerStep, validationImages: this.validation.count, testImages: this.test.count,
            secPerEvalImage: this.secPerEvalImage, secPerCheckpoint: this.secPerCheckpoint,
          }),
          elapsedSec: this.trainSec,
        };
        windowSteps = 0;
        windowSec = 0;
        this.history.progress.push(progress);
        sink.progress(progress);
      }
      reportStartingActivations();
      const evaluates = config.evalEvery > 0 && this.step % config.evalEvery === 0 && this.step < config.steps;
      const checkpoints = config.checkpointEvery > 0 && this.step % config.checkpointEvery === 0 && this.step < config.steps;
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
    const test = finished ? this.recordEvaluation(sink, 'test') : undefined;
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
      ...(test ? { test } : {}),
    };
  }

  dispose(): void {
    this.engine.dispose();
    this.probeImages.dispose();
    this.probeLabels.dispose();
  }
}
