// StoredTensors over resource variables that live inside a graph session (see
// resnetTrainingGraph.ts), so checkpoints, the inspector and the eager activation probe read and
// set them exactly as they do the eager stores.
import type * as tf from '@tensorflow/tfjs-core';
import type { StoredTensors } from '../model/parameterStore';
import type { GraphSession } from './graphSession';
import type { GraphVariable } from './graphVariable';

export class GraphVariableStore implements StoredTensors {
  readonly kind = 'graph';
  readonly names: readonly string[];
  readonly shapes: readonly (readonly number[])[];

  /** Sets every variable to `initialValues` (when given) and takes ownership of them. */
  constructor(private readonly session: GraphSession, private readonly variables: readonly GraphVariable[], initialValues?: tf.Tensor[]) {
    this.names = variables.map((v) => v.name);
    this.shapes = variables.map((v) => v.shape);
    if (initialValues) {
      try {
        if (initialValues.length !== variables.length) throw new Error(`${variables.length} variables, ${initialValues.length} initial values`);
        this.assignAll(initialValues);
      } finally {
        for (const value of initialValues) value.dispose();
      }
    }
  }

  private variable(index: number): GraphVariable {
    const v = this.variables[index];
    if (!v) throw new Error(`no stored tensor ${index}`);
    return v;
  }

  read(index: number): tf.Tensor {
    return this.session.run([], [this.variable(index).read])[0]!;
  }

  readAll(): tf.Tensor[] {
    return this.session.run([], this.variables.map((v) => v.read));
  }

  assign(index: number, value: tf.Tensor): void {
    const v = this.variable(index);
    this.checkShape(v, value);
    for (const done of this.session.run([[v.assignValue, value]], [v.assigned])) done.dispose();
  }

  /** Every variable in one run. `values` stay the caller's. */
  assignAll(values: readonly tf.Tensor[]): void {
    this.variables.forEach((v, i) => this.checkShape(v, values[i]!));
    const done = this.session.run(this.variables.map((v, i) => [v.assignValue, values[i]!] as const), this.variables.map((v) => v.assigned));
    for (const t of done) t.dispose();
  }

  private checkShape(v: GraphVariable, value: tf.Tensor): void {
    if (value.shape.join() !== v.shape.join()) throw new Error(`${v.name}: cannot assign shape ${value.shape.join('×')} to ${v.shape.join('×')}`);
  }

  /** The session owns the variables; they go when it closes. */
  dispose(): void {}
}
