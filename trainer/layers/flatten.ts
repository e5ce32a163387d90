// Reshape to one vector per image.
import * as tf from '@tensorflow/tfjs-core';
import { DT_INT32 } from '../graph/graphBuilder';
import { FLOAT_T } from './graphAttrs';
import type { LayerModule } from './layerModule';

export const flattenLayer: LayerModule<'flatten'> = {
  eager: (_layer, x) => tf.reshape(x, [x.shape[0]!, -1]),

  graph(layer, x, _residual, ctx) {
    const { g } = ctx;
    const attrs = { ...FLOAT_T, Tshape: { type: DT_INT32 } };
    const y = g.node(ctx.nodeName(layer.name, 'Reshape'), 'Reshape', [x, g.int32Const(ctx.nodeName(layer.name, 'shape'), [-1, ctx.figure(layer.name).outputShape[0]!])], attrs);
    return ctx.record({
      output: y, inputs: [x],
      backward: (dy) => [g.node(ctx.gradName(`${layer.name}/Reshape`), 'Reshape', [dy, ctx.shapeOf(`${layer.name}/shape`, x)], attrs)],
    });
  },
};
