// How one training step runs: the model, the Adam state, and the step itself. Two engines with
// the same maths: eager tfjs ops with a separate optimiser (any backend), and one TensorFlow graph
// per step that holds parameters and Adam state itself (native backend; see trainer/graph).
import * as tf from '@tensorflow/tfjs-core';
import type { ArchitectureSpec } from '../../shared/architecture';
import type { InitScheme } from '../../shared/trainingConfig';
import type { ParameterStore, StoredTensors } from '../model/parameterStore';
import { ResNetModel, type Initialisation } from '../model/resnetModel';
import { createAdam, type Adam } from './adam';
import type { AdamSettings } from './adamSettings';
import type { Execution } from '../../shared/trainingReports';

export interface ModelSetup {
  arch: ArchitectureSpec;
  init: InitScheme | Initialisation;
  seed: number;
  adam: AdamSettings;
}

export type { Execution };

/** For messages: what each kind of execution is. */
export function describeExecution(execution: Execution): string {
  return execution === 'graph' ? 'one TensorFlow graph per step' : 'eager ops';
}

export interface StepEngine {
  readonly execution: Execution;
  readonly model: ResNetModel<StoredTensors>;
  /** Adam's first and second moments, in the specs' order. */
  readonly m: StoredTensors;
  readonly v: StoredTensors;
  /** Updates applied so far (Adam's t); set when restoring a checkpoint. */
  iteration: number;
  /** One Adam update on a batch with dropout on; returns the batch's loss before the update. */
  step(images: tf.Tensor4D, oneHotLabels: tf.Tensor2D, dropoutSeed: number): tf.Scalar;
  /** Logits with dropout off, at the current parameters. */
  logits(images: tf.Tensor4D): tf.Tensor2D;
  dispose(): void;
}

/** tf.valueAndGrads over the model's eager forward pass, then the optimiser's update. */
export class EagerStepEngine implements StepEngine {
  readonly execution = 'eager';
  readonly model: ResNetModel<ParameterStore>;
  private readonly adam: Adam;

  constructor(setup: ModelSetup) {
    this.model = new ResNetModel<ParameterStore>(setup.arch, setup.init, setup.seed);
    this.adam = createAdam(this.model.parameters, setup.adam);
  }

  get m(): StoredTensors { return this.adam.m; }
  get v(): StoredTensors { return this.adam.v; }
  get iteration(): number { return this.adam.iteration; }
  set iteration(t: number) { this.adam.iteration = t; }

  step(images: tf.Tensor4D, oneHotLabels: tf.Tensor2D, dropoutSeed: number): tf.Scalar {
    // Differentiate with respect to tensors read from the store, then let them go before the
    // update: the native update writes in place only when the variable is its buffer's sole owner.
    // Only what Adam trains is differentiated; batch norm's running statistics get a zero
    // gradient (Adam then leaves them exactly as they are) and the step's new values afterwards.
    const weights = this.model.parameters.readAll();
    const trained = this.model.trainedIndices;
    const stateUpdates = new Map<string, tf.Tensor>();
    const { value, grads } = tf.valueAndGrads((...trainedValues: tf.Tensor[]) => {
      const values = [...weights];
      trained.forEach((index, k) => { values[index] = trainedValues[k]!; });
      return tf.losses.softmaxCrossEntropy(oneHotLabels, this.model.forward(images, { training: true, dropoutSeed, stateUpdates }, values)) as tf.Scalar;
    })(trained.map((index) => weights[index]!));
    const allGrads = trained.length === weights.length ? grads : this.withZeroGradients(grads, trained, weights);
    tf.dispose(weights);
    this.adam.apply(allGrads);
    tf.dispose(allGrads);
    for (const [name, newValue] of stateUpdates) {
      this.model.parameters.assign(this.model.paramIndex(name), newValue);
      newValue.dispose();
    }
    return value;
  }

  /** The trained tensors' gradients in their places, zeros for the rest (disposes `grads` it does not return). */
  private withZeroGradients(grads: tf.Tensor[], trained: number[], weights: tf.Tensor[]): tf.Tensor[] {
    const all = weights.map((w) => tf.zerosLike(w));
    trained.forEach((index, k) => { all[index]!.dispose(); all[index] = grads[k]!; });
    return all;
  }

  logits(images: tf.Tensor4D): tf.Tensor2D {
    return this.model.forward(images, { training: false });
  }

  dispose(): void {
    this.model.dispose();
    this.adam.dispose();
  }
}
