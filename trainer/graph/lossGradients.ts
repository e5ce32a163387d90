// The gradient of the training loss for each trained parameter, from one of two sources:
//   'tensorflow'  TensorFlow's own gradient ops (TF_AddGradientsWithPrefix through our addon,
//                 tensorflowGradients.ts), as the seed's TF1 program gets them;
//   'tape'        the backward that each layer module records on the forward pass (graphTape.ts).
// TensorFlow.js autodiff is the test oracle of both (test/unit/layerEquivalence.test.ts).
import { DT_FLOAT, DT_INT32, type GraphBuilder, type Output } from './graphBuilder';
import { addTensorFlowGradients } from './tensorflowGradients';
import type { TrainingLoss } from './trainingLoss';
import { FLOAT_T } from '../layers/graphAttrs';

export type GradientSource = 'tensorflow' | 'tape';
export const GRADIENT_SOURCES: readonly GradientSource[] = ['tensorflow', 'tape'];
/** The graph engine's gradients unless asked otherwise (README, "Who writes the gradients", says why). */
export const DEFAULT_GRADIENT_SOURCE: GradientSource = 'tape';

/**
 * d loss / d wanted[i] for each i. TensorFlow's gradients come back in a new graph (the addon
 * rewrites the GraphDef), so the graph to keep building is returned with them.
 */
export function lossGradients(source: GradientSource, g: GraphBuilder, loss: TrainingLoss, wanted: readonly Output[]): { graph: GraphBuilder; gradients: Output[] } {
  if (source === 'tensorflow') return addTensorFlowGradients(g, loss.loss, wanted, 'tf_grad');
  return { graph: g, gradients: tapeGradients(g, loss, wanted) };
}

/** The tape's backward from the loss: d mean / d logits = (softmax − labels) / batch, the kernel's second output over the batch size. */
function tapeGradients(g: GraphBuilder, { pass, logits, xent }: TrainingLoss, wanted: readonly Output[]): Output[] {
  const batch = g.node('train/loss/batch', 'Cast', [g.node('train/loss/size', 'Size', [xent], { ...FLOAT_T, out_type: { type: DT_INT32 } })],
    { SrcT: { type: DT_INT32 }, DstT: { type: DT_FLOAT }, Truncate: { b: false } });
  const dLogits = g.node('grad/logits', 'RealDiv', [`${xent}:1`, batch], FLOAT_T);
  return pass.tape.backward(logits, dLogits, wanted);
}
