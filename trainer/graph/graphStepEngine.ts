// The StepEngine that runs each training step as one TensorFlow graph (resnetTrainingGraph.ts):
// images, labels, dropout masks, Adam's β powers and the step's learning rates go in by handle; the loss comes out. The masks
// are the eager forward pass's own (dropoutMultiplier.ts), and β^t comes from t alone as in the
// eager Adam, so a run's numbers match the eager engine's up to float rounding, and resume exactly.
import * as tf from '@tensorflow/tfjs-core';
import { dropoutMultiplier } from '../model/dropoutMultiplier';
import { layerOpsForBackend } from '../model/layerOps';
import { parameterSpecs } from '../model/parameterSpecs';
import { ResNetModel } from '../model/resnetModel';
import type { AdamSettings } from '../train/adamSettings';
import { betaPowers } from '../train/adamSettings';
import { learningRateAt } from '../../shared/learningRateSchedule';
import type { ModelSetup, StepEngine } from '../train/stepEngine';
import { GraphSession } from './graphSession';
import { GraphVariableStore } from './graphVariableStore';
import { DEFAULT_GRADIENT_SOURCE, type GradientSource } from './lossGradients';
import { buildResNetTrainingGraph, type ResNetGraphNames } from './resnetTrainingGraph';

export class GraphStepEngine implements StepEngine {
  readonly execution = 'graph';
  readonly model: ResNetModel<GraphVariableStore>;
  readonly m: GraphVariableStore;
  readonly v: GraphVariableStore;
  iteration = 0;
  private readonly session: GraphSession;
  private readonly names: ResNetGraphNames;
  private readonly adam: AdamSettings;

  /** Who writes the backward pass: TensorFlow's gradient registry or the layer modules' tape (lossGradients.ts). */
  constructor(setup: ModelSetup, readonly gradientSource: GradientSource = DEFAULT_GRADIENT_SOURCE) {
    const { graph, names } = buildResNetTrainingGraph(setup.arch, parameterSpecs(setup.arch), setup.adam, gradientSource);
    this.names = names;
    this.adam = setup.adam;
    this.session = new GraphSession(graph);
    try {
      // The check runs first, on variables that are all zero, so it needs no copy of the starting
      // values to put back (holding one made every update copy the 157 MB of parameters and
      // moments instead of writing in place). The zeros are made by TensorFlow, in the graph.
      this.zeroAll();
      this.checkItRuns(setup.arch.inputShape, setup.arch.classes);
      this.zeroAll();
      // The model draws its initial values as the eager one does and stores them in the graph.
      this.model = new ResNetModel(setup.arch, setup.init, setup.seed, layerOpsForBackend(),
        (_names, initial) => new GraphVariableStore(this.session, names.parameters, initial));
      this.m = new GraphVariableStore(this.session, names.adamM);
      this.v = new GraphVariableStore(this.session, names.adamV);
    } catch (error) {
      // Free the session before the caller falls back to eager ops.
      this.session.dispose();
      throw error;
    }
  }

  private zeroAll(): void {
    tf.dispose(this.session.run([], [this.names.zeroAll]));
  }

  /**
   * TensorFlow creates a graph's kernels at its first run, so a libtensorflow that loads the graph
   * but cannot run one of its ops would fail at step 1. Runs a step and the eval pass on one blank
   * image here instead, where the caller can still fall back. It changes the variables' values.
   */
  private checkItRuns([height, width, channels]: readonly [number, number, number], classes: number): void {
    tf.tidy(() => {
      const image = tf.zeros([1, height, width, channels]) as tf.Tensor4D;
      const label = tf.cast(tf.oneHot(tf.tensor1d([0], 'int32'), classes), 'float32') as tf.Tensor2D;
      this.logits(image);
      this.runStep(image, label, 0, 1);
    });
  }

  /** The feeds of a training pass: the batch and this step's dropout multipliers (the caller disposes them). */
  private trainingFeeds(images: tf.Tensor4D, oneHotLabels: tf.Tensor2D, dropoutSeed: number): [string, tf.Tensor][] {
    return [
      [this.names.images, images],
      [this.names.oneHotLabels, oneHotLabels],
      ...this.names.dropoutMultipliers.map(({ name, keepProb, shape }, index) =>
        [name, dropoutMultiplier([images.shape[0], ...shape], keepProb, dropoutSeed, index)] as [string, tf.Tensor]),
    ];
  }

  /** Forward, backward and Adam update number t; returns the batch loss before the update. */
  private runStep(images: tf.Tensor4D, oneHotLabels: tf.Tensor2D, dropoutSeed: number, t: number): tf.Scalar {
    const { beta1Power, beta2Power } = betaPowers(this.adam, t);
    const feeds = this.trainingFeeds(images, oneHotLabels, dropoutSeed);
    const masks = feeds.slice(2).map(([, mask]) => mask);
    const rates = learningRateAt(this.adam.schedule, t);
    const powers = [tf.scalar(beta1Power, 'float32'), tf.scalar(beta2Power, 'float32'), tf.scalar(rates.conv, 'float32'), tf.scalar(rates.dense, 'float32')];
    try {
      return this.session.run([
        ...feeds,
        [this.names.beta1Power, powers[0]!],
        [this.names.beta2Power, powers[1]!],
        [this.names.learningRate, powers[2]!],
        [this.names.denseLearningRate, powers[3]!],
      ], [this.names.trainStep])[0] as tf.Scalar;
    } finally {
      tf.dispose([...masks, ...powers]);
    }
  }

  /**
   * The gradient of the batch loss for each trained parameter, by name, as the training step
   * would compute it with this dropout seed, without updating anything (the equivalence test's view).
   */
  gradients(images: tf.Tensor4D, oneHotLabels: tf.Tensor2D, dropoutSeed: number): Map<string, tf.Tensor> {
    const feeds = this.trainingFeeds(images, oneHotLabels, dropoutSeed);
    try {
      const names = [...this.names.gradients.keys()];
      const values = this.session.run(feeds, names.map((name) => this.names.gradients.get(name)!));
      return new Map(names.map((name, i) => [name, values[i]!]));
    } finally {
      tf.dispose(feeds.slice(2).map(([, mask]) => mask));
    }
  }

  step(images: tf.Tensor4D, oneHotLabels: tf.Tensor2D, dropoutSeed: number): tf.Scalar {
    const loss = this.runStep(images, oneHotLabels, dropoutSeed, this.iteration + 1);
    this.iteration += 1;
    return loss;
  }

  logits(images: tf.Tensor4D): tf.Tensor2D {
    return this.session.run([[this.names.images, images]], [this.names.evalLogits])[0] as tf.Tensor2D;
  }

  dispose(): void {
    this.model.dispose();
    this.session.dispose();
  }
}
