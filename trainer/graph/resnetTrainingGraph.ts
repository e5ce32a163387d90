// The whole training step as one TensorFlow graph, the way the seed's TF1 program runs it:
// parameters and Adam's moments live in the graph's resource variables; one run does the
// forward pass with dropout and the mean cross-entropy (trainingLoss.ts), the gradients
// (lossGradients.ts: TensorFlow's own, or the hand-written tape), a fused ResourceApplyAdam per
// parameter (adamUpdate.ts) and batch norm's running-statistic assignments. The same graph holds
// the inference pass and the nodes that read, set and zero every variable.
//
// The ops are those of the eager path (layerOps.ts, nativeAdamOptimizer.ts), so the maths is the
// same. Running them as one graph lets Grappler fuse conv + bias + ReLU (and the filter gradient
// with the bias gradient) into oneDNN kernels, with one call from JS per step.
import type { ArchitectureSpec } from '../../shared/architecture';
import { isTrainedByAdam } from '../../shared/layerArithmetic';
import type { ParameterSpec } from '../model/parameterSpecs';
import type { AdamSettings } from '../train/adamSettings';
import { appendAdamUpdate } from './adamUpdate';
import { ForwardBuilder, layerFiguresByName, type DropoutInput } from './graphForward';
import { DT_FLOAT, DT_INT32, GraphBuilder, type Output } from './graphBuilder';
import { variable, type GraphVariable } from './graphVariable';
import { lossGradients, type GradientSource } from './lossGradients';
import { buildTrainingLoss } from './trainingLoss';
import { FLOAT_T } from '../layers/graphAttrs';

export type { GraphVariable } from './graphVariable';

/** Names to feed and fetch. */
export interface ResNetGraphNames {
  /** The parameters, in the specs' order. */
  parameters: GraphVariable[];
  /** Adam's first moments, in the specs' order. */
  adamM: GraphVariable[];
  /** Adam's second moments, in the specs' order. */
  adamV: GraphVariable[];
  /** [batch, 28, 28, 1] float. */
  images: string;
  /** [batch, classes] one-hot float. */
  oneHotLabels: string;
  /** One mask (0 or 1/keepProb) shaped like the layer's input per active dropout layer, in order: see dropoutMultiplier.ts. */
  dropoutMultipliers: DropoutInput[];
  /** β1^t and β2^t of this update (float32 scalars), computed in JS from t like the eager Adam. */
  beta1Power: string;
  beta2Power: string;
  /** This update's learning rates (float32 scalars) from learningRateAt: the convolutions' and fc1's/fc2's. */
  learningRate: string;
  denseLearningRate: string;
  /** Each trained parameter's gradient of the batch loss, by parameter name (fetch without trainStep to look, not update). */
  gradients: ReadonlyMap<string, Output>;
  /** Fetch to train one step: the batch's mean cross-entropy before the update, after the update is done. */
  trainStep: string;
  /** Logits with dropout off (needs only images). */
  evalLogits: string;
  /** Fetch to set every variable (parameters and both moments) to zeros made by TensorFlow itself. */
  zeroAll: string;
}

export function buildResNetTrainingGraph(
  arch: ArchitectureSpec, specs: readonly ParameterSpec[], adam: AdamSettings, gradientSource: GradientSource,
): { graph: GraphBuilder; names: ResNetGraphNames } {
  const forwardGraph = new GraphBuilder();
  const figures = layerFiguresByName(arch);
  const parameters = specs.map((spec) => variable(forwardGraph, spec.name, spec.shape));
  const adamM = specs.map((spec) => variable(forwardGraph, `${spec.name}/adam_m`, spec.shape));
  const adamV = specs.map((spec) => variable(forwardGraph, `${spec.name}/adam_v`, spec.shape));
  const params = new Map(specs.map((spec, i) => [spec.name, parameters[i]!.read]));
  const images = forwardGraph.placeholder('input/images', [-1, ...arch.inputShape]);
  const oneHotLabels = forwardGraph.placeholder('input/one_hot_labels', [-1, arch.classes]);
  const loss = buildTrainingLoss(forwardGraph, arch, images, oneHotLabels, params, figures);

  // Adam trains all but batch norm's running statistics, which the step assigns instead.
  const trainedIndices = specs.flatMap((spec, i) => (isTrainedByAdam(spec.role) ? [i] : []));
  const { graph: g, gradients } = lossGradients(gradientSource, forwardGraph, loss, trainedIndices.map((i) => parameters[i]!.read));
  const indexByName = new Map(specs.map((spec, i) => [spec.name, i]));
  const stateAssignments = loss.pass.stateUpdates.map(({ name, value }) =>
    g.node(`state/assign/${name}`, 'AssignVariableOp', [parameters[indexByName.get(name)!]!.handle, value], { dtype: { type: DT_FLOAT } }));
  const { feeds, updates } = appendAdamUpdate(g, adam,
    trainedIndices.map((i, k) => ({ parameter: parameters[i]!, m: adamM[i]!, v: adamV[i]!, gradient: gradients[k]! })),
    [loss.loss, ...gradients, ...loss.pass.stateUpdates.map((u) => u.value)]);
  const trainStep = g.node('train/step', 'Identity', [loss.loss, ...[...updates, ...stateAssignments].map((u) => `^${u}`)], FLOAT_T);

  const evaluation = new ForwardBuilder(g, 'eval', false, params, figures);
  const evalLogits = evaluation.forward(arch, images);

  // Zeros from Fill inside the graph, so no zeros need to be made in JS memory and fed (see graphStepEngine.ts).
  const zero = g.floatConst('init/zero', 0);
  const zeroings = [...parameters, ...adamM, ...adamV].map((v) => g.node(`${v.handle}/zero`, 'AssignVariableOp', [
    v.handle,
    g.node(`${v.handle}/zeros`, 'Fill', [g.int32Const(`${v.handle}/shape`, v.shape), zero], { ...FLOAT_T, index_type: { type: DT_INT32 } }),
  ], { dtype: { type: DT_FLOAT } }));
  const zeroAll = g.node('init/zeroed', 'Const', zeroings.map((z) => `^${z}`), { dtype: { type: DT_INT32 }, value: { int32Tensor: [0] } });

  const strip = ({ handle: _handle, ...v }: GraphVariable & { handle: Output }): GraphVariable => v;
  return {
    graph: g,
    names: {
      parameters: parameters.map(strip), adamM: adamM.map(strip), adamV: adamV.map(strip),
      images, oneHotLabels, dropoutMultipliers: loss.pass.dropoutMultipliers, ...feeds, trainStep, evalLogits, zeroAll,
      gradients: new Map(trainedIndices.map((i, k) => [specs[i]!.name, gradients[k]!] as const)),
    },
  };
}
