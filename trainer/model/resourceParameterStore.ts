// Parameters as TensorFlow resource variables (native backend only), so that TensorFlow's fused
// optimiser kernels (ResourceApplyAdam) can update them in place in one multithreaded pass.
import type * as tf from '@tensorflow/tfjs-core';
import { randomUUID } from 'node:crypto';
import type { StoredTensors } from './parameterStore';
import { createResourceVariable, destroyResourceVariable, readResourceVariable, assignResourceVariable, type ResourceHandle } from './resourceVariables';

export class ResourceParameterStore implements StoredTensors {
  readonly kind = 'resources';
  readonly shapes: readonly (readonly number[])[];
  /** For native optimiser kernels, which take the variables themselves as inputs. */
  readonly handles: readonly ResourceHandle[];

  /** Takes ownership of `initialValues`. */
  constructor(readonly names: readonly string[], initialValues: tf.Tensor[]) {
    // Shared names are process-wide in TensorFlow; a fresh id per store keeps models built side
    // by side (tests, several bundles of this module) from sharing variables.
    const prefix = `resnet_lab/${randomUUID()}`;
    this.shapes = initialValues.map((v) => [...v.shape]);
    this.handles = initialValues.map((value, i) => {
      const handle = createResourceVariable(`${prefix}/${names[i] ?? i}`, value);
      // Freed at once, so the variable is the buffer's only owner and updates need not copy it.
      value.dispose();
      return handle;
    });
  }

  read(index: number): tf.Tensor {
    return readResourceVariable(this.handle(index));
  }

  readAll(): tf.Tensor[] {
    return this.handles.map((_, i) => this.read(i));
  }

  assign(index: number, value: tf.Tensor): void {
    assignResourceVariable(this.handle(index), value);
  }

  handle(index: number): ResourceHandle {
    const handle = this.handles[index];
    if (!handle) throw new Error(`no stored tensor ${index}`);
    return handle;
  }

  dispose(): void {
    for (const h of this.handles) destroyResourceVariable(h);
  }
}
