// Fully connected layer + optional bias + activation.
import type * as tf from '@tensorflow/tfjs-core';
import { DT_INT32, type Output } from '../graph/graphBuilder';
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
      // dx = grad · kernelᵀ, computed as (kernel · gradᵀ)ᵀ: with the 12544×1024 fc1 kernel,
      // MatMul with transpose_b on the kernel runs ~2× slower than on the small gradient,
      // and transposing the [batch, 12544] result back costs little (bench/results/WHERE-THE-TIME-GOES.md).
      needs(x) ? g.node(ctx.gradName(`${layer.name}/dx`), 'Transpose',
        [matMul(ctx.gradName(`${layer.name}/dx_t`), kernel, grad, false, true), g.int32Const(ctx.gradName(`${layer.name}/perm`), [1, 0])],
        { ...FLOAT_T, Tperm: { type: DT_INT32 } }) : undefined,
      matMul(ctx.gradName(`${layer.name}/dkernel`), x, grad, true, false),
    ]);
  },
};
