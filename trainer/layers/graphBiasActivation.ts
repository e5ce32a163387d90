// The tail most layers share in the graph: op(x, other) then + bias then the activation, each
// optional part as the layer says, with its backward (ActivationGrad, BiasAddGrad, then the op's own).
import type { Output } from '../graph/graphBuilder';
import { FLOAT_T as T, NHWC } from './graphAttrs';
import type { Activation } from '../../shared/architecture';
import { activationKernels } from './activation';
import type { GraphLayerContext } from './layerModule';


/**
 * `op` is the node computing op(x, other): `other` is a conv's or dense layer's kernel, or the
 * shortcut of a residual join; backwardOp gives the gradients of x and other from the gradient at op's output.
 */
export function graphBiasActivation(ctx: GraphLayerContext, layer: string, op: Output, x: Output, other: Output, bias: Output | undefined, activation: Activation,
  backwardOp: (grad: Output, needs: (input: Output) => boolean) => (Output | undefined)[]): Output {
  const { g } = ctx;
  let y = op;
  if (bias) y = g.node(ctx.nodeName(layer, 'BiasAdd'), 'BiasAdd', [y, bias], { ...T, data_format: NHWC });
  const kernels = activationKernels(activation);
  if (kernels) y = g.node(ctx.nodeName(layer, kernels.forward), kernels.forward, [y], T);
  const out = y;
  return ctx.record({
    output: out,
    inputs: bias ? [x, other, bias] : [x, other],
    backward: (dy, needs) => {
      const grad = kernels ? g.node(ctx.gradName(`${layer}/${kernels.backward}`), kernels.backward, kernels.backwardInputs(dy, out), T) : dy;
      const grads = backwardOp(grad, needs);
      return bias ? [...grads, g.node(ctx.gradName(`${layer}/BiasAddGrad`), 'BiasAddGrad', [grad], { ...T, data_format: NHWC })] : grads;
    },
  });
}
