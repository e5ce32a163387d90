// Where a model's parameters (and an optimiser's per-parameter state) live between steps. Two
// kinds: tfjs Variables, which every backend has, and TensorFlow resource variables, which only
// the native backend has but which TensorFlow's fused optimiser kernels update in place.
import type * as tf from '@tensorflow/tfjs-core';
import { isNativeBackend } from './nativeBackend';
import { ResourceParameterStore } from './resourceParameterStore';
import { VariableParameterStore } from './variableParameterStore';

/** What both kinds offer. Indices follow the order the store was built in (the specs' order). */
export interface StoredTensors {
  readonly names: readonly string[];
  readonly shapes: readonly (readonly number[])[];
  /**
   * The current value of one tensor, owned by the caller, who must dispose it. Cheap: it shares
   * the stored buffer. Dispose it before the store is next updated, or the update must copy.
   */
  read(index: number): tf.Tensor;
  /** Every current value, in order (see read). */
  readAll(): tf.Tensor[];
  /** Replaces one value; `value` stays the caller's. */
  assign(index: number, value: tf.Tensor): void;
  dispose(): void;
}

/** Tagged so an optimiser can pick the update that matches the storage. */
export type ParameterStore = VariableParameterStore | ResourceParameterStore;

/**
 * Resource variables on the native backend, tfjs Variables elsewhere. Takes ownership of
 * `initialValues` (they are disposed once stored).
 */
export function createParameterStore(names: readonly string[], initialValues: tf.Tensor[]): ParameterStore {
  return isNativeBackend() ? new ResourceParameterStore(names, initialValues) : new VariableParameterStore(names, initialValues);
}

/** A copy of one stored tensor's values, for checkpoints and tests. */
export function readStoredData(store: StoredTensors, index: number): Float32Array {
  const value = store.read(index);
  try {
    return value.dataSync() as Float32Array;
  } finally {
    value.dispose();
  }
}
