// The seed network described as data. The trainer builds the tfjs model from this, the webview
// draws the diagram from what the trainer reports of it, and tests hold both to SEED-MODEL.md.

export type Padding = 'same' | 'valid';
export type Activation = 'relu' | 'none';

/** 2-D convolution, NHWC. */
export interface ConvLayerSpec {
  op: 'conv2d';
  name: string;
  kernel: number;
  stride: number;
  filters: number;
  padding: Padding;
  bias: boolean;
  activation: Activation;
}

/** Max pooling, NHWC. */
export interface MaxPoolLayerSpec {
  op: 'maxPool';
  name: string;
  size: number;
  stride: number;
  padding: Padding;
}

/** Reshape to a vector per image. */
export interface FlattenLayerSpec {
  op: 'flatten';
  name: string;
}

/** Fully connected layer. */
export interface DenseLayerSpec {
  op: 'dense';
  name: string;
  units: number;
  bias: boolean;
  activation: Activation;
}

/** Dropout, active only while training. keepProb is the seed's keep probability. */
export interface DropoutLayerSpec {
  op: 'dropout';
  name: string;
  keepProb: number;
}

/** Residual sum: main path + shortcut, then one more bias vector, then the activation. */
export interface AddLayerSpec {
  op: 'add';
  name: string;
  bias: boolean;
  activation: Activation;
}

export type LayerSpec = ConvLayerSpec | MaxPoolLayerSpec | FlattenLayerSpec | DenseLayerSpec | DropoutLayerSpec | AddLayerSpec;

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

function conv(name: string, kernel: number, filters: number, stride = 1, padding: Padding = 'same', bias = true, activation: Activation = 'relu'): ConvLayerSpec {
  return { op: 'conv2d', name, kernel, stride, filters, padding, bias, activation };
}

/** Three-conv bottleneck: 1×1 → k×k → 1×1, each with bias and ReLU (ReLU before the add, as the seed has it). */
function bottleneck(id: string, kernel: number, filters: readonly [number, number, number], stride: number, projection: boolean): BlockSpec {
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
