// The activations a layer can end with, each as its TensorFlow kernels: one forward op of y, and
// one backward op of (dy, y). Both the native eager ops (model/layerOps.ts) and the graph
// (graphBiasActivation.ts) run exactly these, so the two engines apply the same maths.
import type { Activation } from '../../shared/architecture';

export interface ActivationKernels {
  /** Forward op: y = f(x). */
  forward: string;
  /** Backward op and its inputs in TensorFlow's order, from dy and the forward output y. */
  backward: string;
  backwardInputs<T>(dy: T, y: T): [T, T];
}

const KERNELS: { [A in Exclude<Activation, 'none'>]: ActivationKernels } = {
  // ReluGrad(gradients, features) needs only the sign of x, which y = max(x, 0) keeps.
  relu: { forward: 'Relu', backward: 'ReluGrad', backwardInputs: (dy, y) => [dy, y] },
  elu: { forward: 'Elu', backward: 'EluGrad', backwardInputs: (dy, y) => [dy, y] },
  tanh: { forward: 'Tanh', backward: 'TanhGrad', backwardInputs: (dy, y) => [y, dy] },
};

/** The kernels of `activation`, or undefined for 'none'. */
export function activationKernels(activation: Activation): ActivationKernels | undefined {
  return activation === 'none' ? undefined : KERNELS[activation];
}
