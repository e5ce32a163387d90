// Batch normalisation of a feature map's channels, then the activation. Training: normalise by the
// batch's mean and (biased) variance, and move the running statistics towards the batch's mean and
// unbiased variance (TensorFlow's and Keras's convention). Measuring: normalise by the running
// statistics. The graph runs TensorFlow's FusedBatchNormV3 and FusedBatchNormGradV3; eager ops
// run tfjs's moments and batchNorm, whose autodiff is the full batch-norm gradient.
import * as tf from '@tensorflow/tfjs-core';
import type { BatchNormLayerSpec } from '../../shared/architecture';
import type { AttrValue, Output } from '../graph/graphBuilder';
import { DT_FLOAT } from '../graph/graphBuilder';
import { FLOAT_T, NHWC } from './graphAttrs';
import { graphActivation } from './graphActivation';
import type { GraphLayerContext, LayerModule } from './layerModule';

const names = (layer: BatchNormLayerSpec) => ({
  scale: `${layer.name}/scale`, offset: `${layer.name}/offset`, mean: `${layer.name}/movingMean`, variance: `${layer.name}/movingVariance`,
});

/** n/(n−1) for n values per channel: the batch variance as an estimate of the population's (1 for n = 1, as TensorFlow does). */
export function besselCorrection(valuesPerChannel: number): number {
  return valuesPerChannel / Math.max(valuesPerChannel - 1, 1);
}

/** momentum·old + (1 − momentum)·batch, as graph nodes. */
function movingAverage(ctx: GraphLayerContext, what: string, old: Output, batch: Output, momentum: number): Output {
  const { g } = ctx;
  const kept = g.node(ctx.nodeName(what, 'kept'), 'Mul', [old, g.floatConst(ctx.nodeName(what, 'momentum'), momentum)], FLOAT_T);
  const added = g.node(ctx.nodeName(what, 'added'), 'Mul', [batch, g.floatConst(ctx.nodeName(what, 'rate'), 1 - momentum)], FLOAT_T);
  return g.node(ctx.nodeName(what, 'updated'), 'AddV2', [kept, added], FLOAT_T);
}

export const batchNormLayer: LayerModule<'batchNorm'> = {
  eager(layer, x, _residual, ctx) {
    const n = names(layer);
    const [scale, offset] = [ctx.param(n.scale) as tf.Tensor1D, ctx.param(n.offset) as tf.Tensor1D];
    let y: tf.Tensor;
    if (!ctx.training) {
      y = tf.batchNorm(x as tf.Tensor4D, ctx.param(n.mean) as tf.Tensor1D, ctx.param(n.variance) as tf.Tensor1D, offset, scale, layer.epsilon);
    } else {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      y = tf.batchNorm(x as tf.Tensor4D, mean, variance, offset, scale, layer.epsilon);
      const perChannel = x.size / x.shape[3]!;
      ctx.updateState(n.mean, () => tf.add(tf.mul(ctx.param(n.mean), layer.momentum), tf.mul(mean, 1 - layer.momentum)));
      ctx.updateState(n.variance, () => tf.add(tf.mul(ctx.param(n.variance), layer.momentum), tf.mul(tf.mul(variance, besselCorrection(perChannel)), 1 - layer.momentum)));
    }
    return ctx.ops.activate(y, layer.activation);
  },

  graph(layer, x, _residual, ctx) {
    const { g } = ctx;
    const n = names(layer);
    const [scale, offset] = [ctx.param(n.scale), ctx.param(n.offset)];
    const attrs: Record<string, AttrValue> = { ...FLOAT_T, U: { type: DT_FLOAT }, epsilon: { f: layer.epsilon }, data_format: NHWC, is_training: { b: ctx.training } };
    let y: Output;
    if (!ctx.training) {
      // (x − mean) · scale/√(variance + ε) + offset in plain ops, as tf.batchNorm computes it. Not
      // FusedBatchNormV3: Grappler fuses an inference-mode one with a following Tanh into a kernel
      // that this TensorFlow does not implement ("Fusion is not implemented: [FusedBatchNorm,Tanh]").
      const node = (op: string, type: string, inputs: Output[]) => g.node(ctx.nodeName(layer.name, op), type, inputs, FLOAT_T);
      const stdInverse = node('rsqrt', 'Rsqrt', [node('variance_epsilon', 'AddV2', [ctx.param(n.variance), g.floatConst(ctx.nodeName(layer.name, 'epsilon'), layer.epsilon)])]);
      const centred = node('centred', 'Sub', [x, ctx.param(n.mean)]);
      y = node('normalised', 'AddV2', [node('scaled', 'Mul', [centred, node('factor', 'Mul', [stdInverse, scale])]), offset]);
    } else {
      // In training the mean and variance inputs are unused and must be empty.
      const empty = g.floatTensorConst(ctx.nodeName(layer.name, 'empty'), [0], new Float32Array(0));
      const fused = g.node(ctx.nodeName(layer.name, 'FusedBatchNormV3'), 'FusedBatchNormV3', [x, scale, offset, empty, empty], { ...attrs, exponential_avg_factor: { f: 1 } });
      y = ctx.record({
        output: fused, inputs: [x, scale, offset],
        backward: (dy) => {
          const grad = g.node(ctx.gradName(`${layer.name}/FusedBatchNormGradV3`), 'FusedBatchNormGradV3', [dy, x, scale, `${fused}:3`, `${fused}:4`, `${fused}:5`], attrs);
          return [grad, `${grad}:1`, `${grad}:2`];
        },
      });
      // Outputs 1 and 2: the batch mean and the Bessel-corrected batch variance.
      ctx.updateState(n.mean, movingAverage(ctx, `${layer.name}/movingMean`, ctx.param(n.mean), `${fused}:1`, layer.momentum));
      ctx.updateState(n.variance, movingAverage(ctx, `${layer.name}/movingVariance`, ctx.param(n.variance), `${fused}:2`, layer.momentum));
    }
    return graphActivation(ctx, layer.name, y, layer.activation);
  },
};
