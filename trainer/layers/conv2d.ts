// 2-D convolution (NHWC) + optional bias + activation.
import type { ConvLayerSpec } from '../../shared/architecture';
import { DT_INT32, type AttrValue, type Output } from '../graph/graphBuilder';
import { FLOAT_T, NHWC, spatial } from './graphAttrs';
import { graphBiasActivation } from './graphBiasActivation';
import type { GraphLayerContext, LayerModule } from './layerModule';
import type * as tf from '@tensorflow/tfjs-core';

/** x[:, ::stride, ::stride, :], recorded with its backward (StridedSliceGrad scatters dy back). */
function subsample(ctx: GraphLayerContext, layer: string, x: Output, stride: number): Output {
  const { g } = ctx;
  const begin = g.int32Const(ctx.nodeName(layer, 'subsample_begin'), [0, 0, 0, 0]);
  const end = g.int32Const(ctx.nodeName(layer, 'subsample_end'), [0, 0, 0, 0]);
  const strides = g.int32Const(ctx.nodeName(layer, 'subsample_strides'), [1, stride, stride, 1]);
  // All four masks set: begin and end are the whole axis; only the strides matter.
  const attrs: Record<string, AttrValue> = {
    ...FLOAT_T, Index: { type: DT_INT32 }, begin_mask: { i: 15 }, end_mask: { i: 15 }, ellipsis_mask: { i: 0 }, new_axis_mask: { i: 0 }, shrink_axis_mask: { i: 0 },
  };
  const y = g.node(ctx.nodeName(layer, 'subsample'), 'StridedSlice', [x, begin, end, strides], attrs);
  return ctx.record({
    output: y, inputs: [x],
    backward: (dy) => [g.node(ctx.gradName(`${layer}/StridedSliceGrad`), 'StridedSliceGrad', [ctx.shapeOf(`${layer}/subsample_shape`, x), begin, end, strides, dy], attrs)],
  });
}

export const conv2dLayer: LayerModule<'conv2d'> = {
  eager(layer, x, _residual, ctx) {
    return ctx.ops.conv(x as tf.Tensor4D, ctx.param(`${layer.name}/kernel`) as tf.Tensor4D, ctx.optionalParam(`${layer.name}/bias`) as tf.Tensor1D | undefined,
      layer.stride, layer.padding, layer.activation);
  },

  graph(layer: ConvLayerSpec, input, _residual, ctx) {
    const { g } = ctx;
    // A strided 1×1 conv is the 1×1 conv of every stride-th pixel. Written that way in the graph
    // because TensorFlow 2.15's oneDNN kernels corrupt the heap on a 1×1 stride-2 Conv2D's
    // gradients at 14×14 and 28×28 inputs ("free(): invalid pointer"; eager ops are unaffected).
    const subsampled = layer.kernel === 1 && layer.stride > 1;
    const x = subsampled ? subsample(ctx, layer.name, input, layer.stride) : input;
    const stride = subsampled ? 1 : layer.stride;
    const attrs: Record<string, AttrValue> = {
      ...FLOAT_T, strides: spatial(stride), padding: { s: layer.padding.toUpperCase() },
      data_format: NHWC, dilations: spatial(1), use_cudnn_on_gpu: { b: true },
    };
    const kernel = ctx.param(`${layer.name}/kernel`);
    const bias = layer.bias ? ctx.param(`${layer.name}/bias`) : undefined;
    const conv = g.node(ctx.nodeName(layer.name, 'Conv2D'), 'Conv2D', [x, kernel], attrs);
    return graphBiasActivation(ctx, layer.name, conv, x, kernel, bias, layer.activation, (grad, needs) => {
      const dx = needs(x)
        ? g.node(ctx.gradName(`${layer.name}/Conv2DBackpropInput`), 'Conv2DBackpropInput',
          [ctx.shapeOf(`${layer.name}/input_shape`, x), kernel, grad], attrs)
        : undefined;
      const dKernel = g.node(ctx.gradName(`${layer.name}/Conv2DBackpropFilter`), 'Conv2DBackpropFilter',
        [x, ctx.shapeOf(`${layer.name}/kernel_shape`, kernel), grad], attrs);
      return [dx, dKernel];
    });
  },
};
