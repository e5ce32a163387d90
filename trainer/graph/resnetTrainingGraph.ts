// The seed ResNet's whole training step as one TensorFlow graph, the way the seed's TF1 program
// runs it: parameters and Adam's moments live in the graph's resource variables; one run does the
// forward pass with dropout, mean softmax cross-entropy, the backward pass (written out op by op:
// TensorFlow's C API has no autodiff for graphs) and a fused ResourceApplyAdam per parameter.
//
// The ops are those of the eager path (layerOps.ts, nativeAdamOptimizer.ts), so the maths is the
// same: Conv2D/MatMul + BiasAdd + Relu forward; ReluGrad, BiasAddGrad, Conv2DBackprop*,
// MaxPoolGrad back. Running them as one graph lets Grappler fuse conv + bias + ReLU (and the
// filter gradient with the bias gradient) into oneDNN kernels, with one call from JS per step.
import type { ArchitectureSpec, ConvLayerSpec, LayerSpec } from '../../shared/architecture';
import { computeModelFigures, type LayerFigures } from '../../shared/modelFigures';
import type { ParameterSpec } from '../model/parameterSpecs';
import type { AdamSettings } from '../train/adamSettings';
import { DT_FLOAT, DT_INT32, GraphBuilder, type AttrValue, type Output } from './graphBuilder';

/** One resource variable and the nodes that read and set it. */
export interface GraphVariable {
  name: string;
  shape: number[];
  /** Fetch: the current value. */
  read: string;
  /** Feed the new value here and fetch `assigned` to set it. */
  assignValue: string;
  assigned: string;
}

/** Where a dropout layer's mask is fed, and what the mask must be. */
export interface DropoutInput {
  name: string;
  keepProb: number;
  units: number;
}

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
  /** One [batch, units] mask (0 or 1/keepProb) per active dropout layer, in order: see dropoutMultiplier.ts. */
  dropoutMultipliers: DropoutInput[];
  /** β1^t and β2^t of this update (float32 scalars), computed in JS from t like the eager Adam. */
  beta1Power: string;
  beta2Power: string;
  /** This update's learning rates (float32 scalars) from learningRateAt: the convolutions' and fc1's/fc2's. */
  learningRate: string;
  denseLearningRate: string;
  /** Fetch to train one step: the batch's mean cross-entropy before the update, after the update is done. */
  trainStep: string;
  /** Logits with dropout off (needs only images). */
  evalLogits: string;
}

const T: Record<string, AttrValue> = { T: { type: DT_FLOAT } };
const NHWC: AttrValue = { s: 'NHWC' };

/** A forward op's backward: given d(output), the gradients of the inputs listed with it. */
interface TapeEntry {
  output: Output;
  inputs: Output[];
  backward(dy: Output, needs: (input: Output) => boolean): (Output | undefined)[];
}

/** Each layer's shapes by layer name: the static sizes a forward pass's graph needs. */
export function layerFiguresByName(arch: ArchitectureSpec): Map<string, LayerFigures> {
  return new Map(computeModelFigures(arch).blocks.flatMap((b) => b.layers).map((l) => [l.name, l]));
}

/**
 * Builds forward passes, recording what the backward pass needs when asked to. The exported
 * inference graph (trainer/export) reuses it with constants for parameters.
 */
export class ForwardBuilder {
  readonly tape: TapeEntry[] = [];
  readonly dropoutMultipliers: DropoutInput[] = [];
  private gradCount = 0;

  constructor(
    readonly g: GraphBuilder,
    private readonly prefix: string,
    private readonly training: boolean,
    private readonly params: ReadonlyMap<string, Output>,
    /** Each layer's shapes, by layer name (for the static sizes the graph needs). */
    private readonly figures: ReadonlyMap<string, LayerFigures>,
  ) {}

  /** A unique name for a backward node. */
  gradName(what: string): string {
    return `grad/${what}_${this.gradCount++}`;
  }

  /** A backward node holding x's runtime shape (int32), for the ops that take a shape input. */
  private shapeOf(what: string, x: Output): Output {
    return this.g.node(this.gradName(what), 'Shape', [x], { ...T, out_type: { type: DT_INT32 } });
  }

  private name(layer: string, op: string): string {
    return `${this.prefix}/${layer}/${op}`;
  }

  private record(entry: TapeEntry): Output {
    if (this.training) this.tape.push(entry);
    return entry.output;
  }

  private figure(layerName: string): LayerFigures {
    const figure = this.figures.get(layerName);
    if (!figure) throw new Error(`no figures for layer ${layerName}`);
    return figure;
  }

  private param(name: string): Output {
    const p = this.params.get(name);
    if (!p) throw new Error(`no parameter ${name}`);
    return p;
  }

  /**
   * op(x, other) then + bias then ReLU, each optional part as the layer says. `other` is the
   * kernel of a conv or dense layer, or the shortcut of a residual join; backwardOp gives the
   * gradients of x and other from the gradient at op's output.
   */
  private linear(layer: string, op: Output, x: Output, other: Output, bias: Output | undefined, relu: boolean,
    backwardOp: (g: Output, needs: (input: Output) => boolean) => (Output | undefined)[]): Output {
    const { g } = this;
    let y = op;
    if (bias) y = g.node(this.name(layer, 'BiasAdd'), 'BiasAdd', [y, bias], { ...T, data_format: NHWC });
    if (relu) y = g.node(this.name(layer, 'Relu'), 'Relu', [y], T);
    const out = y;
    return this.record({
      output: out,
      inputs: bias ? [x, other, bias] : [x, other],
      backward: (dy, needs) => {
        const grad = relu ? g.node(this.gradName(`${layer}/ReluGrad`), 'ReluGrad', [dy, out], T) : dy;
        const grads = backwardOp(grad, needs);
        return bias ? [...grads, g.node(this.gradName(`${layer}/BiasAddGrad`), 'BiasAddGrad', [grad], { ...T, data_format: NHWC })] : grads;
      },
    });
  }

  conv(layer: ConvLayerSpec, x: Output): Output {
    const { g } = this;
    const attrs: Record<string, AttrValue> = {
      ...T, strides: { ints: [1, layer.stride, layer.stride, 1] }, padding: { s: layer.padding.toUpperCase() },
      data_format: NHWC, dilations: { ints: [1, 1, 1, 1] }, use_cudnn_on_gpu: { b: true },
    };
    const kernel = this.param(`${layer.name}/kernel`);
    const bias = layer.bias ? this.param(`${layer.name}/bias`) : undefined;
    const conv = g.node(this.name(layer.name, 'Conv2D'), 'Conv2D', [x, kernel], attrs);
    return this.linear(layer.name, conv, x, kernel, bias, layer.activation === 'relu', (grad, needs) => {
      const dx = needs(x)
        ? g.node(this.gradName(`${layer.name}/Conv2DBackpropInput`), 'Conv2DBackpropInput',
          [this.shapeOf(`${layer.name}/input_shape`, x), kernel, grad], attrs)
        : undefined;
      const dKernel = g.node(this.gradName(`${layer.name}/Conv2DBackpropFilter`), 'Conv2DBackpropFilter',
        [x, this.shapeOf(`${layer.name}/kernel_shape`, kernel), grad], attrs);
      return [dx, dKernel];
    });
  }

  layer(layer: LayerSpec, x: Output, blockInput: Output, shortcut: Output | undefined): Output {
    const { g } = this;
    switch (layer.op) {
      case 'conv2d':
        return this.conv(layer, x);
      case 'maxPool': {
        const attrs: Record<string, AttrValue> = {
          ...T, ksize: { ints: [1, layer.size, layer.size, 1] }, strides: { ints: [1, layer.stride, layer.stride, 1] },
          padding: { s: layer.padding.toUpperCase() }, data_format: NHWC,
        };
        const y = g.node(this.name(layer.name, 'MaxPool'), 'MaxPool', [x], attrs);
        return this.record({ output: y, inputs: [x], backward: (dy) => [g.node(this.gradName(`${layer.name}/MaxPoolGrad`), 'MaxPoolGrad', [x, y, dy], attrs)] });
      }
      case 'flatten': {
        const y = g.node(this.name(layer.name, 'Reshape'), 'Reshape', [x, g.int32Const(this.name(layer.name, 'shape'), [-1, this.figure(layer.name).outputShape[0]!])],
          { ...T, Tshape: { type: DT_INT32 } });
        return this.record({
          output: y, inputs: [x],
          backward: (dy) => [g.node(this.gradName(`${layer.name}/Reshape`), 'Reshape',
            [dy, this.shapeOf(`${layer.name}/shape`, x)], { ...T, Tshape: { type: DT_INT32 } })],
        });
      }
      case 'dense': {
        const kernel = this.param(`${layer.name}/kernel`);
        const bias = layer.bias ? this.param(`${layer.name}/bias`) : undefined;
        const matMul = (name: string, a: Output, b: Output, transposeA: boolean, transposeB: boolean) =>
          g.node(name, 'MatMul', [a, b], { ...T, transpose_a: { b: transposeA }, transpose_b: { b: transposeB } });
        const y = matMul(this.name(layer.name, 'MatMul'), x, kernel, false, false);
        return this.linear(layer.name, y, x, kernel, bias, layer.activation === 'relu', (grad, needs) => [
          // dx = grad · kernelᵀ, computed as (kernel · gradᵀ)ᵀ: with the 12544×1024 fc1 kernel,
          // MatMul with transpose_b on the kernel runs ~2× slower than on the small gradient,
          // and transposing the [batch, 12544] result back costs little (bench/results/WHERE-THE-TIME-GOES.md).
          needs(x) ? g.node(this.gradName(`${layer.name}/dx`), 'Transpose',
            [matMul(this.gradName(`${layer.name}/dx_t`), kernel, grad, false, true), g.int32Const(this.gradName(`${layer.name}/perm`), [1, 0])],
            { ...T, Tperm: { type: DT_INT32 } }) : undefined,
          matMul(this.gradName(`${layer.name}/dkernel`), x, grad, true, false),
        ]);
      }
      case 'dropout': {
        if (!this.training || layer.keepProb >= 1) return x;
        const mask = g.placeholder(`input/${layer.name}/multiplier`, [-1, -1]);
        this.dropoutMultipliers.push({ name: mask, keepProb: layer.keepProb, units: this.figure(layer.name).inputShape[0]! });
        const y = g.node(this.name(layer.name, 'Mul'), 'Mul', [x, mask], T);
        return this.record({ output: y, inputs: [x], backward: (dy) => [g.node(this.gradName(`${layer.name}/Mul`), 'Mul', [dy, mask], T)] });
      }
      case 'add': {
        const other = shortcut ?? blockInput;
        const sum = g.node(this.name(layer.name, 'AddV2'), 'AddV2', [x, other], T);
        const bias = layer.bias ? this.param(`${layer.name}/bias`) : undefined;
        // Both branches get the sum's gradient.
        return this.linear(layer.name, sum, x, other, bias, layer.activation === 'relu', (grad) => [grad, grad]);
      }
      default: {
        const unknown: never = layer;
        throw new Error(`unknown layer ${JSON.stringify(unknown)}`);
      }
    }
  }

  forward(arch: ArchitectureSpec, images: Output): Output {
    let x = images;
    for (const block of arch.blocks) {
      const blockInput = x;
      const shortcut = block.shortcut?.kind === 'projection' ? this.conv(block.shortcut.layer, blockInput) : undefined;
      for (const layer of block.layers) x = this.layer(layer, x, blockInput, shortcut);
    }
    return x;
  }
}

/**
 * Reverse pass over the tape: sums each output's incoming gradients (AddN) and hands them to its
 * op's backward. Returns the gradient of each wanted input (parameters), in order.
 */
function backward(builder: ForwardBuilder, output: Output, dOutput: Output, wanted: readonly Output[]): Output[] {
  const { g } = builder;
  const incoming = new Map<Output, Output[]>([[output, [dOutput]]]);
  const neededInputs = new Set<Output>(wanted);
  // An input needs a gradient if it is wanted or is some recorded op's output.
  for (const entry of builder.tape) neededInputs.add(entry.output);
  const total = (output: Output): Output | undefined => {
    const parts = incoming.get(output);
    if (!parts || parts.length === 0) return undefined;
    if (parts.length === 1) return parts[0];
    return g.node(builder.gradName('AddN'), 'AddN', parts, { ...T, N: { i: parts.length } });
  };
  for (const entry of [...builder.tape].reverse()) {
    const dy = total(entry.output);
    if (!dy) continue;
    const grads = entry.backward(dy, (input) => neededInputs.has(input));
    entry.inputs.forEach((input, i) => {
      const grad = grads[i];
      if (grad === undefined) return;
      incoming.set(input, [...(incoming.get(input) ?? []), grad]);
    });
  }
  return wanted.map((input) => {
    const grad = total(input);
    if (!grad) throw new Error(`no gradient reaches ${input}`);
    return grad;
  });
}

/** A float32 resource variable with nodes to read it and to assign it from a fed value. */
function variable(g: GraphBuilder, name: string, shape: number[]): GraphVariable & { handle: Output } {
  const dtype = { dtype: { type: DT_FLOAT } };
  // The shared name is per session: each TF_Session has its own devices and resource manager.
  const handle = g.node(`var/${name}`, 'VarHandleOp', [], { ...dtype, shape: { shape }, shared_name: { s: name }, container: { s: '' } });
  const read = g.node(`var/${name}/read`, 'ReadVariableOp', [handle], dtype);
  const assignValue = g.placeholder(`var/${name}/assign_value`, shape);
  const assign = g.node(`var/${name}/assign`, 'AssignVariableOp', [handle, assignValue], dtype);
  // A run must fetch something; this constant is fetched for the assignment it waits on.
  const assigned = g.node(`var/${name}/assigned`, 'Const', [`^${assign}`], { dtype: { type: DT_INT32 }, value: { int32Tensor: [0] } });
  return { name, shape, handle, read, assignValue, assigned };
}

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
  const gradients = backward(train, logits, dLogits, parameters.map((p) => p.read));

  // Adam as the eager NativeAdamOptimizer runs it: the kernel forms 1 − β and lr_t in float32.
  const beta1Power = g.placeholder('adam/beta1_power', []);
  const beta2Power = g.placeholder('adam/beta2_power', []);
  // The rates are fed each step (shared/learningRateSchedule.ts): the convolutions' and the dense layers'.
  const learningRate = g.placeholder('adam/learning_rate', []);
  const denseLearningRate = g.placeholder('adam/dense_learning_rate', []);
  const betasAndEpsilon = [g.floatConst('adam/beta1', adam.beta1), g.floatConst('adam/beta2', adam.beta2), g.floatConst('adam/epsilon', adam.epsilon)];
  const updates = parameters.map((p, i) => {
    const hyper = [adam.denseParameters.has(p.name) ? denseLearningRate : learningRate, ...betasAndEpsilon];
    // After every training op that reads this parameter. ResourceApplyAdam would copy the buffer
    // rather than change a value still in use, so this is for speed: with no other owner left,
    // the update writes in place. (The eval pass's readers are built later and are not waited for.)
    const readers = g.consumersOf(p.read).map((name) => `^${name}`);
    return g.node(`adam/apply/${p.name}`, 'ResourceApplyAdam',
      [p.handle, adamM[i]!.handle, adamV[i]!.handle, beta1Power, beta2Power, ...hyper, gradients[i]!, ...readers],
      { ...T, use_locking: { b: false }, use_nesterov: { b: false } });
  });
  const trainStep = g.node('train/step', 'Identity', [loss, ...updates.map((u) => `^${u}`)], T);

  const evaluation = new ForwardBuilder(g, 'eval', false, params, figures);
  const evalLogits = evaluation.forward(arch, images);

  const strip = ({ handle: _handle, ...v }: GraphVariable & { handle: Output }): GraphVariable => v;
  return {
    graph: g,
    names: {
      parameters: parameters.map(strip), adamM: adamM.map(strip), adamV: adamV.map(strip),
      images, oneHotLabels, dropoutMultipliers: train.dropoutMultipliers, beta1Power, beta2Power, learningRate, denseLearningRate, trainStep, evalLogits,
    },
  };
}
