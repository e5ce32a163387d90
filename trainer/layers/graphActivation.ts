// An activation on its own in the graph (after a batch norm), recorded with its backward kernel.
import type { Activation } from '../../shared/architecture';
import type { Output } from '../graph/graphBuilder';
import { activationKernels } from './activation';
import { FLOAT_T } from './graphAttrs';
import type { GraphLayerContext } from './layerModule';

export function graphActivation(ctx: GraphLayerContext, layer: string, x: Output, activation: Activation): Output {
  const kernels = activationKernels(activation);
  if (!kernels) return x;
  const { g } = ctx;
  const y = g.node(ctx.nodeName(layer, kernels.forward), kernels.forward, [x], FLOAT_T);
  return ctx.record({ output: y, inputs: [x], backward: (dy) => [g.node(ctx.gradName(`${layer}/${kernels.backward}`), kernels.backward, kernels.backwardInputs(dy, y), FLOAT_T)] });
}
