// TensorFlow resource variables driven through tfjs-node's binding. A handle is a tfjs tensor of
// dtype 'string' (TF's DT_RESOURCE); passing it back as an op input names the variable. The
// variable's buffer lives in TensorFlow, outside tfjs's tensor count, until destroyed.
import * as tf from '@tensorflow/tfjs-core';
import { nativeBackend, TF_FLOAT, type NativeAttr } from './nativeBackend';

/** One float32 resource variable's handle. */
export type ResourceHandle = tf.Tensor;

function dtypeAttr(): NativeAttr {
  return { name: 'dtype', type: nativeBackend().binding.TF_ATTR_TYPE, value: TF_FLOAT };
}

/**
 * A new float32 variable holding a copy of `value`'s contents. `sharedName` must be unique in the
 * process: TensorFlow looks variables up by it, so two with one name would be one variable.
 */
export function createResourceVariable(sharedName: string, value: tf.Tensor): ResourceHandle {
  const backend = nativeBackend();
  const b = backend.binding;
  const handle = backend.executeSingleOutput('VarHandleOp', [
    dtypeAttr(),
    { name: 'shape', type: b.TF_ATTR_SHAPE, value: value.shape },
    { name: 'container', type: b.TF_ATTR_STRING, value: '' },
    { name: 'shared_name', type: b.TF_ATTR_STRING, value: sharedName },
  ], []);
  // The handle outlives any tidy it was made in; its owner disposes it.
  tf.keep(handle);
  assignResourceVariable(handle, value);
  return handle;
}

export function assignResourceVariable(handle: ResourceHandle, value: tf.Tensor): void {
  nativeBackend().executeMultipleOutputs('AssignVariableOp', [dtypeAttr()], [handle, value], 0);
}

/** The current value; shares the variable's buffer until either is written. */
export function readResourceVariable(handle: ResourceHandle): tf.Tensor {
  return nativeBackend().executeSingleOutput('ReadVariableOp', [dtypeAttr()], [handle]);
}

/** Frees the variable's buffer in TensorFlow and disposes the handle. */
export function destroyResourceVariable(handle: ResourceHandle): void {
  const backend = nativeBackend();
  backend.executeMultipleOutputs('DestroyResourceOp', [{ name: 'ignore_lookup_error', type: backend.binding.TF_ATTR_BOOL, value: true }], [handle], 0);
  handle.dispose();
}
