// Global average pooling: [batch, h, w, c] → [batch, c], each channel's mean over the feature map.
// Backward: each pixel gets its channel's gradient divided by h·w.
import * as tf from '@tensorflow/tfjs-core';
import { DT_INT32 } from '../graph/graphBuilder';
import { FLOAT_T } from './graphAttrs';
import type { LayerModule } from './layerModule';

export const globalAvgPoolLayer: LayerModule<'globalAvgPool'> = {
  eager: (_layer, x) => tf.mean(x, [1, 2]),

  graph(layer, x, _residual, ctx) {
    const { g } = ctx;
    const [h, w, c] = ctx.figure(layer.name).inputShape as [number, number, number];
    const y = g.node(ctx.nodeName(layer.name, 'Mean'), 'Mean', [x, g.int32Const(ctx.nodeName(layer.name, 'axes'), [1, 2])],
      { ...FLOAT_T, Tidx: { type: DT_INT32 }, keep_dims: { b: false } });
    return ctx.record({
      output: y, inputs: [x],
      backward: (dy) => {
        const perPixel = g.node(ctx.gradName(`${layer.name}/reshape`), 'Reshape', [dy, g.int32Const(ctx.gradName(`${layer.name}/dy_shape`), [-1, 1, 1, c])],
          { ...FLOAT_T, Tshape: { type: DT_INT32 } });
        const spread = g.node(ctx.gradName(`${layer.name}/broadcast`), 'BroadcastTo', [perPixel, ctx.shapeOf(`${layer.name}/input_shape`, x)],
          { ...FLOAT_T, Tidx: { type: DT_INT32 } });
        return [g.node(ctx.gradName(`${layer.name}/divide`), 'RealDiv', [spread, g.floatConst(ctx.gradName(`${layer.name}/count`), h * w)], FLOAT_T)];
      },
    });
  },
};
