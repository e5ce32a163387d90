// The seed ResNet's whole training step as one TensorFlow graph, the way the seed's TF1 program
// runs it: parameters and Adam's moments live in the graph's resource variables; one run does the
// forward pass with dropout (graphForward.ts, each layer's nodes from its module in trainer/layers),
// mean softmax cross-entropy, the backward pass (the tape's, graphTape.ts) and a fused
// ResourceApplyAdam per parameter.
//
// The ops are those of the eager path (layerOps.ts, nativeAdamOptimizer.ts), so the maths is the
// same: Conv2D/MatMul + BiasAdd + Relu forward; ReluGrad, BiasAddGrad, Conv2DBackprop*,
// MaxPoolGrad back. Running them as one graph lets Grappler fuse conv + bias + ReLU (and the
// filter gradient with the bias gradient) into oneDNN kernels, with one call from JS per step.
import type { ArchitectureSpec } from '../../shared/architecture';
import { isTrainedByAdam } from '../../shared/layerArithmetic';
import type { ParameterSpec } from '../model/parameterSpecs';
import type { AdamSettings } from '../train/adamSettings';
import { ForwardBuilder, layerFiguresByName, type DropoutInput } from './graphForward';
import { DT_FLOAT, DT_INT32, GraphBuilder, type AttrValue, type Output } from './graphBuilder';
import { variable, type GraphVariable } from './graphVariable';

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

const T: Record<string, AttrValue> = { T: { type: DT_FLOAT } };

export function buildResNetTrainingGraph(arch: ArchitectureSpec, specs: readonly ParameterSpec[], adam: AdamSettings): { graph: GraphBuilder; names: ResNetGraphNames } {
  const g = new GraphBuilder();
  const figures = layerFiguresByName(arch);
  const parameters = specs.map((spec) => variable(g, spec.name, spec.shape));
  const adamM = specs.map((spec) => variable(g, `${spec.name}/adam_m`, spec.shape));
  const adamV = specs.map((spec) => variable(g, `${spec.name}/adam_v`, spec.shape));
  const params = new Map(specs.map((spec, i) => [spec.name, parameters[i]!.read]));
  const images = g.placeholder('input/images', [-1, ...arch.inputShape]);
  const oneHotLabels = g.placeholder('input/one_hot_labels', [-1, arch.classes]);

  const train = new ForwardBuilder(g, 'train', true, params, figures);
  const logits = train.forward(arch, images);
  const xent = g.node('train/loss/xent', 'SoftmaxCrossEntropyWithLogits', [logits, oneHotLabels], T);
  const loss = g.node('train/loss/mean', 'Mean', [xent, g.int32Const('train/loss/axis', [0])], { ...T, Tidx: { type: DT_INT32 }, keep_dims: { b: false } });
  // d mean / d logits = (softmax − labels) / batch; the kernel's second output is softmax − labels.
  const batch = g.node('train/loss/batch', 'Cast', [g.node('train/loss/size', 'Size', [xent], { ...T, out_type: { type: DT_INT32 } })],
    { SrcT: { type: DT_INT32 }, DstT: { type: DT_FLOAT }, Truncate: { b: false } });
  const dLogits = g.node('grad/logits', 'RealDiv', [`${xent}:1`, batch], T);
  // Adam trains all but batch norm's running statistics, which the step assigns instead.
  const trained = specs.map((spec) => isTrainedByAdam(spec.role));
  const trainedReads = parameters.filter((_, i) => trained[i]).map((p) => p.read);
  const trainedGradients = train.tape.backward(logits, dLogits, trainedReads);
  const gradients = new Map(trainedReads.map((read, k) => [read, trainedGradients[k]!]));
  const indexByName = new Map(specs.map((spec, i) => [spec.name, i]));
  const stateAssignments = train.stateUpdates.map(({ name, value }) =>
    g.node(`state/assign/${name}`, 'AssignVariableOp', [parameters[indexByName.get(name)!]!.handle, value], { dtype: { type: DT_FLOAT } }));

  // Adam as the eager NativeAdamOptimizer runs it: the kernel forms 1 − β and lr_t in float32.
  const beta1Power = g.placeholder('adam/beta1_power', []);
  const beta2Power = g.placeholder('adam/beta2_power', []);
  // The rates are fed each step (shared/learningRateSchedule.ts): the convolutions' and the dense layers'.
  const learningRate = g.placeholder('adam/learning_rate', []);
  const denseLearningRate = g.placeholder('adam/dense_learning_rate', []);
  const betasAndEpsilon = [g.floatConst('adam/beta1', adam.beta1), g.floatConst('adam/beta2', adam.beta2), g.floatConst('adam/epsilon', adam.epsilon)];
  const updates = parameters.flatMap((p, i) => {
    if (!trained[i]) return [];
    const hyper = [adam.denseParameters.has(p.name) ? denseLearningRate : learningRate, ...betasAndEpsilon];
    // After every training op that reads this parameter. ResourceApplyAdam would copy the buffer
    // rather than change a value still in use, so this is for speed: with no other owner left,
    // the update writes in place. (The eval pass's readers are built later and are not waited for.)
    const readers = g.consumersOf(p.read).map((name) => `^${name}`);
    return g.node(`adam/apply/${p.name}`, 'ResourceApplyAdam',
      [p.handle, adamM[i]!.handle, adamV[i]!.handle, beta1Power, beta2Power, ...hyper, gradients.get(p.read)!, ...readers],
      { ...T, use_locking: { b: false }, use_nesterov: { b: false } });
  });
  const trainStep = g.node('train/step', 'Identity', [loss, ...[...updates, ...stateAssignments].map((u) => `^${u}`)], T);

  const evaluation = new ForwardBuilder(g, 'eval', false, params, figures);
  const evalLogits = evaluation.forward(arch, images);

  // Zeros from Fill inside the graph, so no zeros need to be made in JS memory and fed (see graphStepEngine.ts).
  const zero = g.floatConst('init/zero', 0);
  const zeroings = [...parameters, ...adamM, ...adamV].map((v) => g.node(`${v.handle}/zero`, 'AssignVariableOp', [
    v.handle,
    g.node(`${v.handle}/zeros`, 'Fill', [g.int32Const(`${v.handle}/shape`, v.shape), zero], { ...T, index_type: { type: DT_INT32 } }),
  ], { dtype: { type: DT_FLOAT } }));
  const zeroAll = g.node('init/zeroed', 'Const', zeroings.map((z) => `^${z}`), { dtype: { type: DT_INT32 }, value: { int32Tensor: [0] } });

  const strip = ({ handle: _handle, ...v }: GraphVariable & { handle: Output }): GraphVariable => v;
  return {
    graph: g,
    names: {
      parameters: parameters.map(strip), adamM: adamM.map(strip), adamV: adamV.map(strip),
      images, oneHotLabels, dropoutMultipliers: train.dropoutMultipliers, beta1Power, beta2Power, learningRate, denseLearningRate, trainStep, evalLogits, zeroAll,
      gradients: new Map(specs.flatMap((spec, i) => (trained[i] ? [[spec.name, gradients.get(parameters[i]!.read)!] as const] : []))),
    },
  };
}
