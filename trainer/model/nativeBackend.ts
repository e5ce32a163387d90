// The slice of tfjs-node's backend this project calls directly: run one TensorFlow op eagerly
// with raw attributes. Only valid when tf.getBackend() is 'tensorflow'.
import * as tf from '@tensorflow/tfjs-core';

export interface NativeAttr { name: string; type: number; value: unknown }

export interface NativeBackend {
  binding: {
    TF_ATTR_INT: number; TF_ATTR_STRING: number; TF_ATTR_BOOL: number; TF_ATTR_FLOAT: number; TF_ATTR_TYPE: number; TF_ATTR_SHAPE: number;
    /** Loads a SavedModel into a new TF_Session; returns its id. `tags` are comma-separated. */
    loadSavedModel(exportDir: string, tags: string): number;
    /** TF_SessionRun: feeds tensors (by id) to "node:k" outputs, returns the fetched "node:k" outputs. */
    runSavedModel(id: number, inputTensorIds: number[], inputNames: string, outputNames: string): unknown[];
    deleteSavedModel(id: number): void;
    TF_UINT8: number; TF_INT32: number; TF_FLOAT: number;
    /**
     * A tensor over a JS typed array's memory: TensorFlow keeps a pointer into it (copying only
     * if it is misaligned) and frees it through a napi call from whichever thread drops it last.
     */
    createTensor(shape: readonly number[], dtype: number, values: ArrayBufferView): number;
    /** Runs one op eagerly on tensors by id; returns each output's metadata (id, shape, dtype). */
    executeOp(name: string, attrs: NativeAttr[], inputIds: number[], numOutputs: number): unknown[];
    deleteTensor(id: number): void;
  };
  getInputTensorIds(tensors: tf.Tensor[]): number[];
  /** Wraps what the binding returns for one output as a tfjs tensor. */
  createOutputTensor(metadata: unknown): tf.Tensor;
  executeSingleOutput(name: string, attrs: NativeAttr[], inputs: tf.Tensor[]): tf.Tensor;
  /** With numOutputs 0 this runs ops that only have effects (assignments, updates). */
  executeMultipleOutputs(name: string, attrs: NativeAttr[], inputs: tf.Tensor[], numOutputs: number): tf.Tensor[];
}

/** TF_DataType for float32. */
export const TF_FLOAT = 1;

export function isNativeBackend(): boolean {
  return tf.getBackend() === 'tensorflow';
}

export function nativeBackend(): NativeBackend {
  if (!isNativeBackend()) throw new Error(`native TensorFlow ops need the 'tensorflow' backend, not '${tf.getBackend()}'`);
  return tf.backend() as unknown as NativeBackend;
}
