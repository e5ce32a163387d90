// The three compound operations the ResNet is made of, in two implementations with the same
// maths: portable tfjs ops (any backend), and native TensorFlow kernels called directly through
// tfjs-node (the 'tensorflow' backend).
//
// Why native: tfjs-node's ReLU gradient (its `Step` kernel) is built from five TF ops and bias
// gradients from generic reductions: 190 ms of a 590 ms step at batch 64. TensorFlow's own
// `ReluGrad` and `BiasAddGrad` are single kernels. (`_FusedConv2D` would also fuse the forward
// pass, but tfjs-node's binding cannot pass its list-of-strings `fused_ops` attribute.)
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../../shared/architecture';
import { activationKernels } from '../layers/activation';
import { isNativeBackend, nativeBackend, TF_FLOAT, type NativeAttr } from './nativeBackend';

export interface LayerOps {
  /** conv2d + optional bias + activation. */
  conv(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D | undefined, stride: number, padding: 'same' | 'valid', activation: Activation): tf.Tensor4D;
  /** matmul + optional bias + activation. */
  dense(x: tf.Tensor2D, weights: tf.Tensor2D, bias: tf.Tensor1D | undefined, activation: Activation): tf.Tensor2D;
  /** activation(main + shortcut + bias): the seed's residual join with its post-add bias. */
  residualJoin(main: tf.Tensor4D, shortcut: tf.Tensor4D, bias: tf.Tensor1D | undefined, activation: Activation): tf.Tensor4D;
  /** The activation alone (after a batch norm). */
  activate<T extends tf.Tensor>(x: T, activation: Activation): T;
}

/** tfjs's fused ops apply relu and elu themselves; tanh follows as its own op. */
const FUSED_ACTIVATION = { relu: 'relu', elu: 'elu', none: 'linear', tanh: 'linear' } as const;
const afterFused = <T extends tf.Tensor>(y: T, activation: Activation): T => (activation === 'tanh' ? tf.tanh(y) : y);

/** The activation as a tfjs op (autodiff by tfjs). */
function portableActivation<T extends tf.Tensor>(x: T, activation: Activation): T {
  switch (activation) {
    case 'relu': return tf.relu(x);
    case 'elu': return tf.elu(x);
    case 'tanh': return tf.tanh(x);
    case 'none': return x;
  }
}

export const portableLayerOps: LayerOps = {
  conv: (x, filter, bias, stride, padding, activation) =>
    afterFused(tf.fused.conv2d({ x, filter, strides: stride, pad: padding, ...(bias ? { bias } : {}), activation: FUSED_ACTIVATION[activation] }), activation),
  dense: (x, weights, bias, activation) =>
    afterFused(tf.fused.matMul({ a: x, b: weights, ...(bias ? { bias } : {}), activation: FUSED_ACTIVATION[activation] }) as tf.Tensor2D, activation),
  residualJoin: (main, shortcut, bias, activation) => portableActivation(bias ? tf.add(tf.add(main, shortcut), bias) : tf.add(main, shortcut), activation) as tf.Tensor4D,
  activate: portableActivation,
};

export function nativeLayerOps(): LayerOps {
  const backend = nativeBackend();
  const b = backend.binding;
  const run = <T extends tf.Tensor>(name: string, attrs: NativeAttr[], inputs: tf.Tensor[]) => backend.executeSingleOutput(name, attrs, inputs) as T;
  const T: NativeAttr = { name: 'T', type: b.TF_ATTR_TYPE, value: TF_FLOAT };
  const dataFormat: NativeAttr = { name: 'data_format', type: b.TF_ATTR_STRING, value: 'NHWC' };
  const dilations: NativeAttr = { name: 'dilations', type: b.TF_ATTR_INT, value: [1, 1, 1, 1] };
  const convAttrs = (stride: number, padding: 'same' | 'valid'): NativeAttr[] => [
    T,
    { name: 'strides', type: b.TF_ATTR_INT, value: [1, stride, stride, 1] },
    { name: 'padding', type: b.TF_ATTR_STRING, value: padding.toUpperCase() },
    dataFormat, dilations,
    { name: 'use_cudnn_on_gpu', type: b.TF_ATTR_BOOL, value: true },
  ];
  /** d(activation) given dy and the activation's output y; dy itself for 'none'. */
  const activationGrad = (activation: Activation, dy: tf.Tensor, y: tf.Tensor) => {
    const kernels = activationKernels(activation);
    return kernels ? run(kernels.backward, [T], kernels.backwardInputs(dy, y)) : dy;
  };
  const biasGrad = (dy: tf.Tensor) => run<tf.Tensor1D>('BiasAddGrad', [T, dataFormat], [dy]);
  const matMul = (a: tf.Tensor, m: tf.Tensor, transposeA: boolean, transposeB: boolean) => run<tf.Tensor2D>('MatMul', [
    T, { name: 'transpose_a', type: b.TF_ATTR_BOOL, value: transposeA }, { name: 'transpose_b', type: b.TF_ATTR_BOOL, value: transposeB },
  ], [a, m]);
  const shapeOf = (t: tf.Tensor) => tf.tensor1d(t.shape, 'int32');

  /** y = op(...) then + bias then the activation, each a native kernel, intermediates freed at once. */
  const biasActivation = <R extends tf.Tensor>(y: R, bias: tf.Tensor1D | undefined, activation: Activation): R => {
    let out = y;
    if (bias) {
      out = run<R>('BiasAdd', [T, dataFormat], [y, bias]);
      y.dispose();
    }
    const kernels = activationKernels(activation);
    if (kernels) {
      const activated = run<R>(kernels.forward, [T], [out]);
      out.dispose();
      out = activated;
    }
    return out;
  };

  return {
    conv(x, filter, bias, stride, padding, activation) {
      const attrs = convAttrs(stride, padding);
      return withGradient<tf.Tensor4D>(bias ? [x, filter, bias] : [x, filter], ([input, kernel, b1]) => {
        const y = biasActivation(run<tf.Tensor4D>('Conv2D', attrs, [input!, kernel!]), b1 as tf.Tensor1D | undefined, activation);
        return {
          value: y,
          saved: [input!, kernel!, y],
          gradient: (dy, [savedInput, savedKernel, savedY]) => {
            const g = activationGrad(activation, dy, savedY!);
            const dx = run('Conv2DBackpropInput', attrs, [shapeOf(savedInput!), savedKernel!, g]);
            const dFilter = run('Conv2DBackpropFilter', attrs, [savedInput!, shapeOf(savedKernel!), g]);
            return bias ? [dx, dFilter, biasGrad(g)] : [dx, dFilter];
          },
        };
      });
    },

    dense(x, weights, bias, activation) {
      return withGradient<tf.Tensor2D>(bias ? [x, weights, bias] : [x, weights], ([input, w, b1]) => {
        const y = biasActivation(matMul(input!, w!, false, false), b1 as tf.Tensor1D | undefined, activation);
        return {
          value: y,
          saved: [input!, w!, y],
          gradient: (dy, [savedInput, savedW, savedY]) => {
            const g = activationGrad(activation, dy, savedY!);
            const grads = [matMul(g, savedW!, false, true), matMul(savedInput!, g, true, false)];
            return bias ? [...grads, biasGrad(g)] : grads;
          },
        };
      });
    },

    activate<R extends tf.Tensor>(x: R, activation: Activation): R {
      const kernels = activationKernels(activation);
      if (!kernels) return x;
      return withGradient<R>([x], ([input]) => {
        const y = run<R>(kernels.forward, [T], [input!]);
        return { value: y, saved: [y], gradient: (dy, [savedY]) => [activationGrad(activation, dy, savedY!)] };
      });
    },

    residualJoin(main, shortcut, bias, activation) {
      return withGradient<tf.Tensor4D>(bias ? [main, shortcut, bias] : [main, shortcut], ([m, s, b1]) => {
        const y = biasActivation(run<tf.Tensor4D>('AddV2', [T], [m!, s!]), b1 as tf.Tensor1D | undefined, activation);
        return {
          value: y,
          saved: [y],
          gradient: (dy, [savedY]) => {
            const g = activationGrad(activation, dy, savedY!);
            // The same gradient flows into both branches; each gets its own tensor.
            return bias ? [g, tf.clone(g), biasGrad(g)] : [g, tf.clone(g)];
          },
        };
      });
    },
  };
}

/**
 * tf.customGrad with plain arrays: `forward` returns the value, what to save, and the gradient
 * of each input given dy and the saved tensors.
 */
function withGradient<R extends tf.Tensor>(
  inputs: tf.Tensor[],
  forward: (inputs: tf.Tensor[]) => { value: R; saved: tf.Tensor[]; gradient: (dy: R, saved: tf.Tensor[]) => tf.Tensor[] },
): R {
  const f = (...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const { value, saved, gradient } = forward(args as tf.Tensor[]);
    save(saved);
    return { value, gradFunc: (dy: R, savedTensors: tf.Tensor[]) => gradient(dy, savedTensors) };
  };
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad<R>>[0])(...inputs) as R;
}

/** Native kernels on the native backend, portable ops anywhere else. */
export function layerOpsForBackend(): LayerOps {
  return isNativeBackend() ? nativeLayerOps() : portableLayerOps;
}
