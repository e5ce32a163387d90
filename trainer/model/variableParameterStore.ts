// Parameters as tfjs Variables: the portable store, used on backends without resource variables
// (the pure-JS 'cpu' backend).
import * as tf from '@tensorflow/tfjs-core';
import type { StoredTensors } from './parameterStore';

export class VariableParameterStore implements StoredTensors {
  readonly kind = 'variables';
  readonly shapes: readonly (readonly number[])[];
  /** For the portable optimiser, which assigns to them. */
  readonly variables: readonly tf.Variable[];

  /** Takes ownership of `initialValues`. */
  constructor(readonly names: readonly string[], initialValues: tf.Tensor[]) {
    // Unnamed: tfjs names must be unique per process, and tests build several models side by side.
    this.variables = initialValues.map((value) => {
      const variable = tf.variable(value, false);
      value.dispose();
      return variable;
    });
    this.shapes = this.variables.map((v) => [...v.shape]);
  }

  read(index: number): tf.Tensor {
    // A clone shares the variable's data (tfjs reference-counts it), so reads are free and
    // disposing one never touches the variable.
    return tf.clone(this.variable(index));
  }

  readAll(): tf.Tensor[] {
    return this.variables.map((_, i) => this.read(i));
  }

  assign(index: number, value: tf.Tensor): void {
    this.variable(index).assign(value);
  }

  variable(index: number): tf.Variable {
    const variable = this.variables[index];
    if (!variable) throw new Error(`no stored tensor ${index}`);
    return variable;
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
