// What each layer type provides to the two engines: an eager forward pass (tfjs tensors; on the
// native backend its gradients are TensorFlow's own kernels through LayerOps) and a graph forward
// pass that records its backward on the tape. Its parameters and figures are its arithmetic in
// shared/layerArithmetic.ts. trainer/layers/registry.ts maps every LayerKind to its module.
import type * as tf from '@tensorflow/tfjs-core';
import type { LayerKind, LayerOf } from '../../shared/architecture';
import type { LayerFigures } from '../../shared/modelFigures';
import type { GraphBuilder, Output } from '../graph/graphBuilder';
import type { TapeEntry } from '../graph/graphTape';
import type { LayerOps } from '../model/layerOps';

export interface EagerLayerContext {
  /** The primitive ops: native TensorFlow kernels on the native backend, portable tfjs ops elsewhere. */
  readonly ops: LayerOps;
  readonly training: boolean;
  /** This forward pass's value of the parameter `${layer}/${role}`; throws if the model has none. */
  param(name: string): tf.Tensor;
  /** The parameter, or undefined if the layer was built without it (an optional bias). */
  optionalParam(name: string): tf.Tensor | undefined;
  /** The next dropout multiplier of this step (0 or 1/keepProb), shaped like x. */
  dropoutMultiplier(shape: number[], keepProb: number): tf.Tensor;
  /**
   * A training step's new value of a non-trained tensor (running statistics), set after the
   * update. Computed only if the caller collects them, outside the gradient's tape.
   */
  updateState(name: string, value: () => tf.Tensor): void;
}

export interface GraphLayerContext {
  readonly g: GraphBuilder;
  readonly training: boolean;
  /** The forward node name `${prefix}/${layer}/${op}`. */
  nodeName(layer: string, op: string): string;
  /** A unique name for a backward node. */
  gradName(what: string): string;
  /** A backward node holding x's runtime shape (int32), for the ops that take a shape input. */
  shapeOf(what: string, x: Output): Output;
  param(name: string): Output;
  optionalParam(name: string): Output | undefined;
  /** Records a forward op's backward (training passes only); returns its output. */
  record(entry: TapeEntry): Output;
  /** The layer's figures (static shapes). */
  figure(layerName: string): LayerFigures;
  /** A placeholder for the layer's dropout multiplier, fed each step; x's shape with the batch first. */
  dropoutMultiplier(layerName: string, keepProb: number, shape: number[]): Output;
  /** The training step assigns `value` to the non-trained tensor `name` (running statistics). */
  updateState(name: string, value: Output): void;
}

export interface LayerModule<K extends LayerKind> {
  /** The layer's output on eager tensors. `residual` is the shortcut, for `add` only. */
  eager(layer: LayerOf<K>, x: tf.Tensor, residual: tf.Tensor | undefined, ctx: EagerLayerContext): tf.Tensor;
  /** The layer's output as graph nodes, its backward recorded when training. */
  graph(layer: LayerOf<K>, x: Output, residual: Output | undefined, ctx: GraphLayerContext): Output;
}
