// Average pooling (NHWC); TensorFlow's AvgPool averages only the pixels inside a 'same' border window.
import * as tf from '@tensorflow/tfjs-core';
import { windowAttrs } from './graphAttrs';
import type { LayerModule } from './layerModule';

export const avgPoolLayer: LayerModule<'avgPool'> = {
  eager: (layer, x) => tf.avgPool(x as tf.Tensor4D, layer.size, layer.stride, layer.padding),

  graph(layer, x, _residual, ctx) {
    const { g } = ctx;
    const attrs = windowAttrs(layer);
    const y = g.node(ctx.nodeName(layer.name, 'AvgPool'), 'AvgPool', [x], attrs);
    return ctx.record({
      output: y, inputs: [x],
      backward: (dy) => [g.node(ctx.gradName(`${layer.name}/AvgPoolGrad`), 'AvgPoolGrad', [ctx.shapeOf(`${layer.name}/input_shape`, x), dy], attrs)],
    });
  },
};
