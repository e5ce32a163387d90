// 2-D convolution (NHWC) + optional bias + activation.
import type { ConvLayerSpec } from '../../shared/architecture';
import type { AttrValue } from '../graph/graphBuilder';
import { FLOAT_T, NHWC, spatial } from './graphAttrs';
import { graphBiasActivation } from './graphBiasActivation';
import type { LayerModule } from './layerModule';
import type * as tf from '@tensorflow/tfjs-core';

export const conv2dLayer: LayerModule<'conv2d'> = {
  eager(layer, x, _residual, ctx) {
    return ctx.ops.conv(x as tf.Tensor4D, ctx.param(`${layer.name}/kernel`) as tf.Tensor4D, ctx.optionalParam(`${layer.name}/bias`) as tf.Tensor1D | undefined,
      layer.stride, layer.padding, layer.activation === 'relu');
  },

  graph(layer: ConvLayerSpec, x, _residual, ctx) {
    const { g } = ctx;
    const attrs: Record<string, AttrValue> = {
      ...FLOAT_T, strides: spatial(layer.stride), padding: { s: layer.padding.toUpperCase() },
      data_format: NHWC, dilations: spatial(1), use_cudnn_on_gpu: { b: true },
    };
    const kernel = ctx.param(`${layer.name}/kernel`);
    const bias = layer.bias ? ctx.param(`${layer.name}/bias`) : undefined;
    const conv = g.node(ctx.nodeName(layer.name, 'Conv2D'), 'Conv2D', [x, kernel], attrs);
    return graphBiasActivation(ctx, layer.name, conv, x, kernel, bias, layer.activation === 'relu', (grad, needs) => {
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
