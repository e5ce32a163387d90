// The three compound operations the ResNet is made of, in two implementations with the same
// maths: portable tfjs ops (any backend), and native TensorFlow kernels called directly through
// tfjs-node (the 'tensorflow' backend).
//
// Why native: tfjs-node's ReLU gradient (its `Step` kernel) is built from five TF ops and bias
// gradients from generic reductions: 190 ms of a 590 ms step at batch 64. TensorFlow's own
// `ReluGrad` and `BiasAddGrad` are single kernels. (`_FusedConv2D` would also fuse the forward
// pass, but tfjs-node's binding cannot pass its list-of-strings `fused_ops` attribute.)
import * as tf from '@tensorflow/tfjs-core';
import { isNativeBackend, nativeBackend, TF_FLOAT, type NativeAttr } from './nativeBackend';

export interface LayerOps {
  /** conv2d + optional bias + optional ReLU. */
  conv(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D | undefined, stride: number, padding: 'same' | 'valid', relu: boolean): tf.Tensor4D;
  /** matmul + optional bias + optional ReLU. */
  dense(x: tf.Tensor2D, weights: tf.Tensor2D, bias: tf.Tensor1D | undefined, relu: boolean): tf.Tensor2D;
  /** ReLU(main + shortcut + bias): the seed's residual join with its post-add bias. */
  residualJoin(main: tf.Tensor4D, shortcut: tf.Tensor4D, bias: tf.Tensor1D | undefined): tf.Tensor4D;
}

export const portableLayerOps: LayerOps = {
  conv: (x, filter, bias, stride, padding, relu) =>
    tf.fused.conv2d({ x, filter, strides: stride, pad: padding, ...(bias ? { bias } : {}), activation: relu ? 'relu' : 'linear' }),
  dense: (x, weights, bias, relu) =>
    tf.fused.matMul({ a: x, b: weights, ...(bias ? { bias } : {}), activation: relu ? 'relu' : 'linear' }) as tf.Tensor2D,
  residualJoin: (main, shortcut, bias) => tf.relu(bias ? tf.add(tf.add(main, shortcut), bias) : tf.add(main, shortcut)) as tf.Tensor4D,
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
  const reluGrad = (dy: tf.Tensor, y: tf.Tensor) => run('ReluGrad', [T], [dy, y]);
  const biasGrad = (dy: tf.Tensor) => run<tf.Tensor1D>('BiasAddGrad', [T, dataFormat], [dy]);
  const matMul = (a: tf.Tensor, m: tf.Tensor, transposeA: boolean, transposeB: boolean) => run<tf.Tensor2D>('MatMul', [
    T, { name: 'transpose_a', type: b.TF_ATTR_BOOL, value: transposeA }, { name: 'transpose_b', type: b.TF_ATTR_BOOL, value: transposeB },
  ], [a, m]);
  const shapeOf = (t: tf.Tensor) => tf.tensor1d(t.shape, 'int32');

  /** y = op(...) then + bias then ReLU, each a native kernel, intermediates freed at once. */
  const biasRelu = <R extends tf.Tensor>(y: R, bias: tf.Tensor1D | undefined, relu: boolean): R => {
    let out = y;
    if (bias) {
      out = run<R>('BiasAdd', [T, dataFormat], [y, bias]);
      y.dispose();
    }
    if (relu) {
      const activated = run<R>('Relu', [T], [out]);
      out.dispose();
      out = activated;
    }
    return out;
  };

  return {
    conv(x, filter, bias, stride, padding, relu) {
      const attrs = convAttrs(stride, padding);
      return withGradient<tf.Tensor4D>(bias ? [x, filter, bias] : [x, filter], ([input, kernel, b1]) => {
        const y = biasRelu(run<tf.Tensor4D>('Conv2D', attrs, [input!, kernel!]), b1 as tf.Tensor1D | undefined, relu);
        return {
          value: y,
          saved: [input!, kernel!, y],
          gradient: (dy, [savedInput, savedKernel, savedY]) => {
            const g = relu ? reluGrad(dy, savedY!) : dy;
            const dx = run('Conv2DBackpropInput', attrs, [shapeOf(savedInput!), savedKernel!, g]);
            const dFilter = run('Conv2DBackpropFilter', attrs, [savedInput!, shapeOf(savedKernel!), g]);
            return bias ? [dx, dFilter, biasGrad(g)] : [dx, dFilter];
          },
        };
      });
    },

    dense(x, weights, bias, relu) {
      return withGradient<tf.Tensor2D>(bias ? [x, weights, bias] : [x, weights], ([input, w, b1]) => {
        const y = biasRelu(matMul(input!, w!, false, false), b1 as tf.Tensor1D | undefined, relu);
        return {
          value: y,
          saved: [input!, w!, y],
          gradient: (dy, [savedInput, savedW, savedY]) => {
            const g = relu ? reluGrad(dy, savedY!) : dy;
            const grads = [matMul(g, savedW!, false, true), matMul(savedInput!, g, true, false)];
            return bias ? [...grads, biasGrad(g)] : grads;
          },
        };
      });
    },

    residualJoin(main, shortcut, bias) {
      return withGradient<tf.Tensor4D>(bias ? [main, shortcut, bias] : [main, shortcut], ([m, s, b1]) => {
        const y = biasRelu(run<tf.Tensor4D>('AddV2', [T], [m!, s!]), b1 as tf.Tensor1D | undefined, true);
        return {
          value: y,
          saved: [y],
          gradient: (dy, [savedY]) => {
            const g = reluGrad(dy, savedY!);
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
