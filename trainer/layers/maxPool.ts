// Max pooling (NHWC).
import * as tf from '@tensorflow/tfjs-core';
import { windowAttrs } from './graphAttrs';
import type { LayerModule } from './layerModule';

export const maxPoolLayer: LayerModule<'maxPool'> = {
  eager: (layer, x) => tf.maxPool(x as tf.Tensor4D, layer.size, layer.stride, layer.padding),

  graph(layer, x, _residual, ctx) {
    const { g } = ctx;
    const attrs = windowAttrs(layer);
    const y = g.node(ctx.nodeName(layer.name, 'MaxPool'), 'MaxPool', [x], attrs);
    return ctx.record({ output: y, inputs: [x], backward: (dy) => [g.node(ctx.gradName(`${layer.name}/MaxPoolGrad`), 'MaxPoolGrad', [x, y, dy], attrs)] });
  },
};
