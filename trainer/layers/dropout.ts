// Dropout: x times a fed multiplier (0 or 1/keepProb) while training, x itself otherwise. Both
// engines use dropoutMultiplier.ts's masks, shaped like the layer's input (a vector or a feature map).
import * as tf from '@tensorflow/tfjs-core';
import { FLOAT_T } from './graphAttrs';
import type { LayerModule } from './layerModule';

export const dropoutLayer: LayerModule<'dropout'> = {
  eager(layer, x, _residual, ctx) {
    if (!ctx.training || layer.keepProb >= 1) return x;
    return tf.mul(x, ctx.dropoutMultiplier([...x.shape], layer.keepProb));
  },

  graph(layer, x, _residual, ctx) {
    if (!ctx.training || layer.keepProb >= 1) return x;
    const { g } = ctx;
    const mask = ctx.dropoutMultiplier(layer.name, layer.keepProb, ctx.figure(layer.name).inputShape);
    const y = g.node(ctx.nodeName(layer.name, 'Mul'), 'Mul', [x, mask], FLOAT_T);
    return ctx.record({ output: y, inputs: [x], backward: (dy) => [g.node(ctx.gradName(`${layer.name}/Mul`), 'Mul', [dy, mask], FLOAT_T)] });
  },
};
