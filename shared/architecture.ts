// The seed network described as data. The trainer builds the tfjs model from this, the webview
// draws the diagram from what the trainer reports of it, and tests hold both to SEED-MODEL.md.

export type Padding = 'same' | 'valid';
/**
 * The non-linearity after a layer: 'relu' (the seed's), 'elu' (smooth, negative outputs down to −1),
 * 'tanh' (bounded, the classic), or 'none' (linear: logits, pre-add branches). Each is one
 * TensorFlow kernel forward and one backward (Relu/ReluGrad, Elu/EluGrad, Tanh/TanhGrad) on both engines.
 */
export const ACTIVATIONS = ['relu', 'elu', 'tanh', 'none'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** 2-D convolution, NHWC. */
export interface ConvLayerSpec {
  op: 'conv2d';
  /** Unique in the network; its parameters are named `${name}/kernel` and `${name}/bias`. */
  name: string;
  /** Side of the square kernel, in pixels. */
  kernel: number;
  /** Step between windows, in pixels, both ways. */
  stride: number;
  /** Output channels. */
  filters: number;
  /** 'same' pads so the output is ceil(input / stride); 'valid' uses only whole windows. */
  padding: Padding;
  /** Whether a bias vector (one value per filter) is added. */
  bias: boolean;
  /** Non-linearity applied to the output. */
  activation: Activation;
}

/** Max pooling, NHWC. */
export interface MaxPoolLayerSpec {
  op: 'maxPool';
  /** Unique in the network. */
  name: string;
  /** Side of the square window, in pixels. */
  size: number;
  /** Step between windows, in pixels, both ways. */
  stride: number;
  /** 'same' pads so the output is ceil(input / stride); 'valid' uses only whole windows. */
  padding: Padding;
}

/** Average pooling, NHWC: each output is the mean of its window (at a 'same' border, of the pixels inside). */
export interface AvgPoolLayerSpec {
  op: 'avgPool';
  /** Unique in the network. */
  name: string;
  /** Side of the square window, in pixels. */
  size: number;
  /** Step between windows, in pixels, both ways. */
  stride: number;
  /** 'same' pads so the output is ceil(input / stride); 'valid' uses only whole windows. */
  padding: Padding;
}

/** Global average pooling: each channel's mean over the whole feature map, one vector per image (a flatten that keeps only the channels). */
export interface GlobalAvgPoolLayerSpec {
  op: 'globalAvgPool';
  /** Unique in the network. */
  name: string;
}

/**
 * Batch normalisation of a feature map's channels: while training, by the batch's own mean and
 * variance (and the running statistics move towards them); when measuring, by the running
 * statistics. Then a learned scale and offset per channel, then the activation. The running
 * statistics are saved in checkpoints with the parameters.
 */
export interface BatchNormLayerSpec {
  op: 'batchNorm';
  /** Unique in the network; its tensors are `${name}/scale`, `/offset`, `/movingMean` and `/movingVariance`. */
  name: string;
  /** Added to the variance before its square root, so a flat channel does not divide by zero (TensorFlow's default: 0.001). */
  epsilon: number;
  /** How much of the running statistics each training step keeps, in [0, 1) (Keras's default: 0.99). */
  momentum: number;
  /** Non-linearity applied after the scale and offset. */
  activation: Activation;
}

/** Reshape to a vector per image. */
export interface FlattenLayerSpec {
  op: 'flatten';
  name: string;
}

/** Fully connected layer. */
export interface DenseLayerSpec {
  op: 'dense';
  /** Unique in the network; its parameters are named `${name}/kernel` and `${name}/bias`. */
  name: string;
  /** Output units. */
  units: number;
  /** Whether a bias vector (one value per unit) is added. */
  bias: boolean;
  /** Non-linearity applied to the output. */
  activation: Activation;
}

/** Dropout, active only while training: each value is kept with probability keepProb and scaled by 1/keepProb. */
export interface DropoutLayerSpec {
  op: 'dropout';
  /** Unique in the network. */
  name: string;
  /** Probability of keeping each value, in (0, 1]; the seed's is 0.5, and 1 turns dropout off. */
  keepProb: number;
}

/** Residual sum: main path + shortcut, then one more bias vector, then the activation. */
export interface AddLayerSpec {
  op: 'add';
  /** Unique in the network; its bias is named `${name}/bias`. */
  name: string;
  /** Whether a bias vector is added after the sum (the seed's post-add bias). */
  bias: boolean;
  /** Non-linearity applied after the sum. */
  activation: Activation;
}

export type LayerSpec = ConvLayerSpec | MaxPoolLayerSpec | AvgPoolLayerSpec | GlobalAvgPoolLayerSpec | BatchNormLayerSpec
  | FlattenLayerSpec | DenseLayerSpec | DropoutLayerSpec | AddLayerSpec;

/** The layer types, by their `op`: shared/layerArithmetic.ts and trainer/layers/registry.ts must cover each. */
export type LayerKind = LayerSpec['op'];

/** The spec type of one layer kind. */
export type LayerOf<K extends LayerKind> = Extract<LayerSpec, { op: K }>;

/** The tutorial draws identity shortcuts solid (H = F(x) + x) and projections dashed (H = F(x) + Wx). */
export type Shortcut = { kind: 'identity' } | { kind: 'projection'; layer: ConvLayerSpec };

export type BlockKind = 'input' | 'conv' | 'pool' | 'residual' | 'flatten' | 'dense' | 'dropout';

/** One box of the block diagram. */
export interface BlockSpec {
  id: string;
  kind: BlockKind;
  title: string;
  /** Main-path layers in order; a residual block ends with its `add` layer. */
  layers: LayerSpec[];
  shortcut?: Shortcut;
}

export interface ArchitectureSpec {
  name: string;
  inputShape: readonly [number, number, number];
  classes: number;
  blocks: BlockSpec[];
}

/** A conv layer spec; by default 'same' padding, a bias and ReLU. */
export function conv(name: string, kernel: number, filters: number, stride = 1, padding: Padding = 'same', bias = true, activation: Activation = 'relu'): ConvLayerSpec {
  return { op: 'conv2d', name, kernel, stride, filters, padding, bias, activation };
}

/** Three-conv bottleneck: 1×1 → k×k → 1×1, each with bias and ReLU (ReLU before the add, as the seed has it). */
export function bottleneck(id: string, kernel: number, filters: readonly [number, number, number], stride: number, projection: boolean): BlockSpec {
  const [f1, f2, f3] = filters;
  return {
    id,
    kind: 'residual',
    title: `${id} · ${projection ? 'convolutional' : 'identity'} block`,
    layers: [
      conv(`${id}/conv1`, 1, f1, stride),
      conv(`${id}/conv2`, kernel, f2),
      conv(`${id}/conv3`, 1, f3),
      { op: 'add', name: `${id}/add`, bias: true, activation: 'relu' },
    ],
    shortcut: projection ? { kind: 'projection', layer: conv(`${id}/shortcut`, 1, f3, stride, 'valid', false, 'none') } : { kind: 'identity' },
  };
}

/** Batch normalisation with TensorFlow's epsilon and Keras's momentum. */
export function batchNorm(name: string, activation: Activation): BatchNormLayerSpec {
  return { op: 'batchNorm', name, epsilon: 0.001, momentum: 0.99, activation };
}

/**
 * The basic residual block of ResNet-18/34: two 3×3 convolutions, the first with the block's
 * stride, then the add and its activation. With batch normalisation each conv drops its bias
 * (the normalisation's offset does its job) and is followed by a batch norm, the second without activation.
 */
export function basicBlock(id: string, filters: number, stride: number, projection: boolean, normalise: boolean, activation: Activation = 'relu'): BlockSpec {
  const main = normalise
    ? [
      conv(`${id}/conv1`, 3, filters, stride, 'same', false, 'none'), batchNorm(`${id}/bn1`, activation),
      conv(`${id}/conv2`, 3, filters, 1, 'same', false, 'none'), batchNorm(`${id}/bn2`, 'none'),
    ]
    : [conv(`${id}/conv1`, 3, filters, stride, 'same', true, activation), conv(`${id}/conv2`, 3, filters, 1, 'same', true, 'none')];
  return {
    id,
    kind: 'residual',
    title: `${id} · basic ${projection ? 'convolutional' : 'identity'} block`,
    layers: [...main, { op: 'add', name: `${id}/add`, bias: false, activation }],
    shortcut: projection ? { kind: 'projection', layer: conv(`${id}/shortcut`, 1, filters, stride, 'valid', false, 'none') } : { kind: 'identity' },
  };
}

/** The seed tutorial's network (SEED-MODEL.md, "Layers"), with the run's dropout keep probability (the seed's is 0.5). */
export function seedResNetArchitecture(keepProb = 0.5): ArchitectureSpec {
  return {
    name: 'Shallow bottleneck ResNet (seed)',
    inputShape: [28, 28, 1],
    classes: 10,
    blocks: [
      { id: 'input', kind: 'input', title: 'input · 28×28 image', layers: [] },
      { id: 'stem', kind: 'conv', title: 'stem · conv 2×2/2', layers: [conv('stem/conv', 2, 64, 2)] },
      { id: 'pool1', kind: 'pool', title: 'pool1 · max 3×3/1', layers: [{ op: 'maxPool', name: 'pool1/max', size: 3, stride: 1, padding: 'same' }] },
      bottleneck('res2a', 3, [64, 64, 256], 1, true),
      bottleneck('res2b', 3, [64, 64, 256], 1, false),
      bottleneck('res2c', 3, [64, 64, 256], 1, false),
      { id: 'pool2', kind: 'pool', title: 'pool2 · max 2×2/2', layers: [{ op: 'maxPool', name: 'pool2/max', size: 2, stride: 2, padding: 'same' }] },
      { id: 'flatten', kind: 'flatten', title: 'flatten', layers: [{ op: 'flatten', name: 'flatten' }] },
      { id: 'fc1', kind: 'dense', title: 'fc1 · dense 1024', layers: [{ op: 'dense', name: 'fc1/dense', units: 1024, bias: true, activation: 'relu' }] },
      { id: 'dropout', kind: 'dropout', title: `dropout · keep ${keepProb}`, layers: [{ op: 'dropout', name: 'dropout', keepProb }] },
      { id: 'fc2', kind: 'dense', title: 'fc2 · logits', layers: [{ op: 'dense', name: 'fc2/dense', units: 10, bias: true, activation: 'none' }] },
    ],
  };
}
