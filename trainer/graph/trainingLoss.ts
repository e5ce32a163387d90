// The training pass's forward half as graph nodes: the network with dropout (graphForward.ts,
// each layer's nodes from its module in trainer/layers) and the batch's mean softmax
// cross-entropy, the loss that the gradients (lossGradients.ts) differentiate.
import type { ArchitectureSpec } from '../../shared/architecture';
import type { LayerFigures } from '../../shared/modelFigures';
import { DT_INT32, type GraphBuilder, type Output } from './graphBuilder';
import { ForwardBuilder } from './graphForward';
import { FLOAT_T } from '../layers/graphAttrs';

export interface TrainingLoss {
  /** The forward pass: its tape, dropout placeholders and running-statistic updates. */
  pass: ForwardBuilder;
  logits: Output;
  /** Per-example cross-entropy; output 1 is the kernel's softmax − labels. */
  xent: Output;
  /** The batch's mean cross-entropy. */
  loss: Output;
}

export function buildTrainingLoss(
  g: GraphBuilder, arch: ArchitectureSpec, images: Output, oneHotLabels: Output,
  params: ReadonlyMap<string, Output>, figures: ReadonlyMap<string, LayerFigures>,
): TrainingLoss {
  const pass = new ForwardBuilder(g, 'train', true, params, figures);
  const logits = pass.forward(arch, images);
  const xent = g.node('train/loss/xent', 'SoftmaxCrossEntropyWithLogits', [logits, oneHotLabels], FLOAT_T);
  const loss = g.node('train/loss/mean', 'Mean', [xent, g.int32Const('train/loss/axis', [0])], { ...FLOAT_T, Tidx: { type: DT_INT32 }, keep_dims: { b: false } });
  return { pass, logits, xent, loss };
}
