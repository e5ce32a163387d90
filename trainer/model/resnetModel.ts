// The seed ResNet as a parameter store plus a forward function, built from the ArchitectureSpec.
// Plain ops rather than tf.layers: the seed's post-add bias and ReLU-before-add have no layer
// equivalent, and owning the parameters keeps checkpoints and the inspector simple.
import * as tf from '@tensorflow/tfjs-core';
import type { ArchitectureSpec } from '../../shared/architecture';
import { isTrainedByAdam } from '../../shared/layerArithmetic';
import type { InitScheme } from '../../shared/trainingConfig';
import { deriveSeed, SEED_PURPOSE } from '../random/seededRandom';
import type { EagerLayerContext } from '../layers/layerModule';
import { layerModule } from '../layers/registry';
import { walkArchitecture } from '../layers/walkArchitecture';
import { dropoutMultiplier } from './dropoutMultiplier';
import { layerOpsForBackend, type LayerOps } from './layerOps';
import { createParameterStore, readStoredData, type StoredTensors } from './parameterStore';
import { denseParameterNames, parameterSpecs, type ParameterSpec } from './parameterSpecs';

/** Sees each layer's output during a forward pass (activation statistics). Must not keep it. */
export type LayerObserver = (layerName: string, blockId: string, output: tf.Tensor) => void;

export interface ForwardOptions {
  training: boolean;
  /** Seed of this step's dropout mask (training only), so a resumed run draws the same masks. */
  dropoutSeed?: number;
  observe?: LayerObserver;
  /** Training only: collects the new values of non-trained tensors (running statistics), by name; the caller owns them. */
  stateUpdates?: Map<string, tf.Tensor>;
}

/** How a model's parameters start: a scheme, and a factor on the dense layers' kernel σ. */
export interface Initialisation {
  scheme: InitScheme;
  /** fc1's and fc2's kernels are drawn with this × the scheme's σ (1: the scheme as it is). */
  denseScale: number;
}

/**
 * The seed's σ-0.1 truncated normal and 0.1 biases, or He-normal with zero biases; `scale`
 * multiplies σ. Batch norm starts as the identity: scale and running variance 1, offset and
 * running mean 0.
 */
function initialValue(spec: ParameterSpec, scheme: InitScheme, seed: number, scale: number): tf.Tensor {
  if (spec.role === 'bias') return tf.fill(spec.shape, scheme === 'seed' ? 0.1 : 0);
  if (spec.role === 'scale' || spec.role === 'movingVariance') return tf.ones(spec.shape);
  if (spec.role === 'offset' || spec.role === 'movingMean') return tf.zeros(spec.shape);
  return scheme === 'seed'
    ? tf.truncatedNormal(spec.shape, 0, 0.1 * scale, 'float32', seed)
    : tf.randomNormal(spec.shape, 0, Math.sqrt(2 / spec.fanIn) * scale, 'float32', seed);
}

/** One forward pass's parameter values, by name. */
type Weights = ReadonlyMap<string, tf.Tensor>;

function weight(weights: Weights, name: string): tf.Tensor {
  const value = weights.get(name);
  if (!value) throw new Error(`no parameter ${name}`);
  return value;
}

/** Makes the store that holds a model's parameters; takes ownership of the initial values. */
export type StoreFactory<S extends StoredTensors> = (names: readonly string[], initialValues: tf.Tensor[]) => S;

export class ResNetModel<S extends StoredTensors = StoredTensors> {
  readonly specs: ParameterSpec[];
  /**
   * The parameters, in the specs' order. By default resource variables on the native backend and
   * tfjs Variables elsewhere; the graph engine passes a store inside its TensorFlow graph.
   */
  readonly parameters: S;
  private readonly indexByName: Map<string, number>;

  /** Native fused kernels on the native backend; the maths is the same either way. */
  constructor(readonly arch: ArchitectureSpec, init: InitScheme | Initialisation, seed: number, private readonly ops: LayerOps = layerOpsForBackend(),
    createStore: StoreFactory<S> = createParameterStore as unknown as StoreFactory<S>) {
    this.specs = parameterSpecs(arch);
    const { scheme, denseScale } = typeof init === 'string' ? { scheme: init, denseScale: 1 } : init;
    const dense = denseParameterNames(arch);
    const initial = this.specs.map((spec, i) => tf.tidy(() =>
      initialValue(spec, scheme, deriveSeed(seed, SEED_PURPOSE.init, i), dense.has(spec.name) ? denseScale : 1)));
    this.parameters = createStore(this.specs.map((s) => s.name), initial);
    this.indexByName = new Map(this.specs.map((spec, i) => [spec.name, i]));
  }

  /** Indices of the tensors Adam trains (all but batch norm's running statistics), in the specs' order. */
  get trainedIndices(): number[] {
    return this.specs.flatMap((spec, i) => (isTrainedByAdam(spec.role) ? [i] : []));
  }

  get parameterCount(): number {
    return this.parameters.shapes.reduce((sum, shape) => sum + tf.util.sizeFromShape([...shape]), 0);
  }

  /** Index of a parameter in the specs' (and the store's) order. */
  paramIndex(name: string): number {
    const index = this.indexByName.get(name);
    if (index === undefined) throw new Error(`no parameter ${name}`);
    return index;
  }

  /** A copy of one parameter's current values. */
  paramValues(name: string): Float32Array {
    return readStoredData(this.parameters, this.paramIndex(name));
  }

  /**
   * Logits [batch, classes] for images [batch, 28, 28, 1]. Call inside tf.tidy. `values` are the
   * parameters to use, in the specs' order (a training step passes the tensors it differentiates
   * with respect to); by default the current ones are read from the store.
   */
  forward(images: tf.Tensor4D, options: ForwardOptions, values: readonly tf.Tensor[] = this.parameters.readAll()): tf.Tensor2D {
    return this.walk(this.arch, images, options, values) as tf.Tensor2D;
  }

  /**
   * The output of block `blockId` (inference, call inside tf.tidy): the forward pass stops there,
   * so the blocks after it (fc1's 12.8 M weights among them) are not computed. For the inside
   * views, which need one block's maps, not logits.
   */
  forwardThrough(images: tf.Tensor4D, blockId: string, options: Omit<ForwardOptions, 'training'>, values: readonly tf.Tensor[] = this.parameters.readAll()): tf.Tensor {
    const last = this.arch.blocks.findIndex((b) => b.id === blockId);
    if (last < 0) throw new Error(`There is no block "${blockId}".`);
    return this.walk({ ...this.arch, blocks: this.arch.blocks.slice(0, last + 1) }, images, { ...options, training: false }, values);
  }

  private walk(arch: ArchitectureSpec, images: tf.Tensor4D, options: ForwardOptions, values: readonly tf.Tensor[]): tf.Tensor {
    const weights: Weights = new Map(this.specs.map((spec, i) => [spec.name, values[i]!]));
    let dropoutIndex = 0;
    const context: EagerLayerContext = {
      ops: this.ops,
      training: options.training,
      param: (name) => weight(weights, name),
      optionalParam: (name) => weights.get(name),
      dropoutMultiplier: (shape, keepProb) => dropoutMultiplier(shape, keepProb, options.dropoutSeed ?? 0, dropoutIndex++),
      updateState: (name, value) => {
        if (options.training && options.stateUpdates) options.stateUpdates.set(name, tf.keep(value()));
      },
    };
    // Without a gradient to take, no activation is needed once the next layers have used it: each
    // layer runs in its own tidy and what it superseded is freed at once, so an inference pass over
    // a large batch (the 256-image activation probe) holds a few activations, not all of them.
    const inference = !options.training;
    const release = (t: tf.Tensor | undefined, ...stillUsed: (tf.Tensor | undefined)[]) => {
      if (inference && t && t !== images && !stillUsed.includes(t)) t.dispose();
    };
    return walkArchitecture<tf.Tensor>(arch, images, {
      layer: (layer, input, residual) => {
        const compute = () => layerModule(layer).eager(layer, input, residual, context);
        return inference ? tf.tidy(compute) : compute();
      },
      layerDone: (layer, block, output, previous, blockInput) => {
        options.observe?.(layer.name, block.id, output);
        release(previous, output, blockInput);
      },
      blockDone: (block, blockInput, shortcut, output) => {
        release(blockInput, output);
        release(shortcut, output);
        if (block.kind === 'input') options.observe?.('input', block.id, output);
      },
    });
  }

  dispose(): void {
    this.parameters.dispose();
  }
}
