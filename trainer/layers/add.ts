// Residual sum: main path + shortcut, then one more bias vector (the seed's post-add bias), then the activation.
import type * as tf from '@tensorflow/tfjs-core';
import type { Output } from '../graph/graphBuilder';
import { FLOAT_T } from './graphAttrs';
import { graphBiasActivation } from './graphBiasActivation';
import type { LayerModule } from './layerModule';

function shortcutOf<T>(residual: T | undefined, layer: string): T {
  if (residual === undefined) throw new Error(`${layer}: a residual add needs a shortcut`);
  return residual;
}

export const addLayer: LayerModule<'add'> = {
  eager(layer, x, residual, ctx) {
    const shortcut = shortcutOf(residual, layer.name);
    const bias = ctx.optionalParam(`${layer.name}/bias`) as tf.Tensor1D | undefined;
    return ctx.ops.residualJoin(x as tf.Tensor4D, shortcut as tf.Tensor4D, bias, layer.activation);
  },

  graph(layer, x, residual, ctx) {
    const other: Output = shortcutOf(residual, layer.name);
    const sum = ctx.g.node(ctx.nodeName(layer.name, 'AddV2'), 'AddV2', [x, other], FLOAT_T);
    const bias = layer.bias ? ctx.param(`${layer.name}/bias`) : undefined;
    // Both branches get the sum's gradient.
    return graphBiasActivation(ctx, layer.name, sum, x, other, bias, layer.activation, (grad) => [grad, grad]);
  },
};
