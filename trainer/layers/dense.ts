// Fully connected layer + optional bias + activation.
import type * as tf from '@tensorflow/tfjs-core';
import type { Output } from '../graph/graphBuilder';
import { productWithTransposed } from '../graph/transposedProduct';
import { FLOAT_T } from './graphAttrs';
import { graphBiasActivation } from './graphBiasActivation';
import type { LayerModule } from './layerModule';

export const denseLayer: LayerModule<'dense'> = {
  eager(layer, x, _residual, ctx) {
    return ctx.ops.dense(x as tf.Tensor2D, ctx.param(`${layer.name}/kernel`) as tf.Tensor2D, ctx.optionalParam(`${layer.name}/bias`) as tf.Tensor1D | undefined,
      layer.activation);
  },

  graph(layer, x, _residual, ctx) {
    const { g } = ctx;
    const kernel = ctx.param(`${layer.name}/kernel`);
    const bias = layer.bias ? ctx.param(`${layer.name}/bias`) : undefined;
    const matMul = (name: string, a: Output, b: Output, transposeA: boolean, transposeB: boolean) =>
      g.node(name, 'MatMul', [a, b], { ...FLOAT_T, transpose_a: { b: transposeA }, transpose_b: { b: transposeB } });
    const y = matMul(ctx.nodeName(layer.name, 'MatMul'), x, kernel, false, false);
    return graphBiasActivation(ctx, layer.name, y, x, kernel, bias, layer.activation, (grad, needs) => [
      // dx = grad · kernelᵀ, computed as (kernel · gradᵀ)ᵀ (transposedProduct.ts says why).
      needs(x) ? productWithTransposed(g, ctx.gradName(`${layer.name}/dx`), grad, kernel) : undefined,
      matMul(ctx.gradName(`${layer.name}/dkernel`), x, grad, true, false),
    ]);
  },
};
