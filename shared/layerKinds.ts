// One entry per layer kind of shared/architecture.ts, the one place a kind is defined outside its
// trainer module (trainer/layers/): its fields (each with the runtime check the message guards use,
// the JSON Schema the editor uses, and the hover text both show), the checks of the kind against
// the shape it receives (the architecture file's problems), and its arithmetic (output shape,
// parameters, multiply-adds, detail; shared/layerArithmetic.ts dispatches to it). The record is
// keyed by LayerKind, so a layer kind added to architecture.ts without an entry here fails to compile.
import { ACTIVATIONS, type LayerKind, type LayerOf, type LayerSpec } from './architecture';
import { ArchitectureError } from './architectureError';
import type { LayerArithmetic, ParameterRole, ParameterShape, Shape } from './layerArithmetic';
import { describeRange, inRange, rangeSchema, type NumberRange } from './numberRange';
import { boolean, exactly, finiteNumber, integer, oneOf, shape, text, type Check } from './validation';

/** A JSON Schema fragment (the subset the architecture schema uses). */
export type JsonSchema = Record<string, unknown>;

export interface FieldRule {
  check: Check;
  schema: JsonSchema;
  /** A number field's allowed values: an architecture file's problem and a build error alike (layerProblems, checkFieldRanges). */
  range?: FieldRange;
}

/** A range with the words a message about it needs. */
export interface FieldRange extends NumberRange {
  /** What the number is, in brackets after the range ("the fraction of units kept while training"). */
  meaning?: string;
  /** A value to reach for, after the value given ("the seed uses 0.5"). */
  hint: string;
}

/** Dropout's keep probability, (0, 1]: the layer's and the training config's (shared/trainingConfig.ts). */
export const KEEP_PROB_RANGE = { min: 0, minExclusive: true, max: 1 } as const satisfies NumberRange;

/** A problem with one layer, on one of its fields (or the whole layer when field is absent). */
export interface LayerProblem {
  field?: string;
  message: string;
}

/** Everything shared/ knows of one layer kind K. */
export interface LayerKindRules<K extends LayerKind> {
  /** Hover text of the layer object in the editor. */
  description: string;
  /** Every field but `op`, all required. */
  fields: Record<string, FieldRule>;
  /** What is wrong with this layer given the shape it receives; empty when it fits. */
  problems(layer: LayerOf<K>, input: Shape): LayerProblem[];
  /** Its figures given the shape it receives; throws ArchitectureError when they cannot be computed. */
  arithmetic(layer: LayerOf<K>, input: Shape): LayerArithmetic;
}

/** "14×14×256" / "12544" (modelFigures.formatShape's form; not imported, modelFigures imports this). */
const shapeText = (shape: readonly number[]): string => shape.join('×');

const MAX_DIMENSION = 1_000_000;
const dimension = (description: string): FieldRule => ({
  check: integer(1, MAX_DIMENSION), schema: { type: 'integer', minimum: 1, maximum: MAX_DIMENSION, description },
});
const layerName: FieldRule = {
  check: text(256, 1),
  schema: { type: 'string', minLength: 1, maxLength: 256, description: 'Unique layer name; parameters are named after it (e.g. "res2b/conv1/kernel").' },
};
const padding: FieldRule = {
  check: oneOf(['same', 'valid']),
  schema: { enum: ['same', 'valid'], description: '"same": output size = ceil(input / stride). "valid": no padding, output size = (input − window) / stride + 1.' },
};
const bias: FieldRule = { check: boolean, schema: { type: 'boolean', description: 'Add a learned bias per output channel or unit.' } };
const activation: FieldRule = {
  check: oneOf(ACTIVATIONS),
  schema: { enum: [...ACTIVATIONS], description: 'Applied to this layer\'s output: "relu" (the seed\'s), "elu", "tanh" or "none" (linear).' },
};
const windowSize: FieldRule = dimension('Window height and width.');

/** A number field that must lie in `range`. */
function rangedNumber(range: FieldRange, description: string): FieldRule {
  return { check: finiteNumber, schema: { type: 'number', ...rangeSchema(range), description }, range };
}

/** A layer that needs a height×width×channels map; the problem when it gets a vector instead. */
function needsMap(input: Shape, what: string): LayerProblem[] {
  return input.length === 3 ? [] : [{ message: `${what} needs a height×width×channels map, but it gets a vector of ${shapeText(input)} (after flatten): move this layer before the flatten block` }];
}

/**
 * A window sliding over one spatial size: the problem when it leaves an empty map or one whose
 * size is not a whole number (TensorFlow would silently pad unevenly or drop the last rows).
 */
function windowProblems(input: Shape, window: number, stride: number, padding: 'same' | 'valid', windowField: string): LayerProblem[] {
  const problems: LayerProblem[] = [];
  const sizes = [...new Set([input[0]!, input[1]!])];
  for (const size of sizes) {
    if (padding === 'valid' && window > size) {
      problems.push({ field: windowField, message: `a ${window}×${window} window does not fit the ${size}×${size} map with "valid" padding, leaving an empty map: use a ${windowField} of at most ${size} or "same" padding` });
    } else if (padding === 'valid' && (size - window) % stride !== 0) {
      problems.push({ field: 'stride', message: `stride ${stride} leaves a ${((size - window) / stride + 1).toFixed(2)}-wide map from ${size} with a ${window}-wide window and "valid" padding: use a stride that divides ${size - window}, or "same" padding` });
    } else if (padding === 'same' && size % stride !== 0) {
      problems.push({ field: 'stride', message: `stride ${stride} does not divide the ${size}×${size} map, so the output would be ${(size / stride).toFixed(2)} wide: use a stride that divides ${size}, or change the layers before` });
    }
  }
  return problems;
}

function spatialOut(size: number, kernel: number, stride: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.ceil((size - kernel + 1) / stride);
}

/** [h, w, c] of an image-shaped input; a spec error for a vector (a conv or pool after flatten). */
function imageInput(layer: LayerSpec, input: Shape): [number, number, number] {
  if (input.length !== 3) throw new ArchitectureError(layer.name, `${layer.op} needs an image-shaped input (height×width×channels), got ${input.join('×')}: move it before the flatten`);
  return input as [number, number, number];
}

/** Output size of a sliding window over [h, w]; a spec error when it leaves no pixels. */
function windowOut(layer: LayerSpec, [h, w]: [number, number, number], size: number, stride: number, padding: 'same' | 'valid'): [number, number] {
  const out: [number, number] = [spatialOut(h, size, stride, padding), spatialOut(w, size, stride, padding)];
  if (out[0] < 1 || out[1] < 1) {
    throw new ArchitectureError(layer.name, `a ${size}×${size} ${padding} window leaves no output from a ${h}×${w} input: use a smaller window or 'same' padding`);
  }
  return out;
}

const activationText = (activation: string) => (activation === 'none' ? '' : ` ${activation === 'relu' ? 'ReLU' : activation}`);

/** Max and average pooling differ only in what they take of each window. */
function windowPooling<K extends 'maxPool' | 'avgPool'>(taken: 'max' | 'average', description: string): LayerKindRules<K> {
  // Both kinds have the same window fields (TypeScript does not narrow LayerOf<K> to them by itself).
  const window = (layer: LayerOf<K>) => layer as LayerOf<'maxPool' | 'avgPool'>;
  return {
    description,
    fields: { name: layerName, size: windowSize, stride: dimension('Step of the window.'), padding },
    problems: (layer, input) => {
      const { size, stride, padding } = window(layer);
      const map = needsMap(input, `${taken} pooling`);
      return map.length > 0 ? map : windowProblems(input, size, stride, padding, 'size');
    },
    arithmetic(layer, input) {
      const { size, stride, padding } = window(layer);
      const image = imageInput(layer, input);
      return { outputShape: [...windowOut(layer, image, size, stride, padding), image[2]], parameters: [], macs: 0, detail: `${taken} ${size}×${size}/${stride} ${padding}` };
    },
  };
}

export const LAYER_KINDS: { readonly [K in LayerKind]: LayerKindRules<K> } = {
  conv2d: {
    description: '2-D convolution (NHWC): kernel×kernel window, stride, filters output channels.',
    fields: {
      name: layerName,
      kernel: dimension('Window height and width.'),
      stride: dimension('Step of the window; the output map is input / stride.'),
      filters: dimension('Output channels.'),
      padding, bias, activation,
    },
    problems: (layer, input) => {
      const map = needsMap(input, 'a convolution');
      return map.length > 0 ? map : windowProblems(input, layer.kernel, layer.stride, layer.padding, 'kernel');
    },
    arithmetic(layer, input) {
      const image = imageInput(layer, input);
      const c = image[2];
      const [h, w] = windowOut(layer, image, layer.kernel, layer.stride, layer.padding);
      const fanIn = layer.kernel * layer.kernel * c;
      const kernelParams = fanIn * layer.filters;
      return {
        outputShape: [h, w, layer.filters],
        parameters: [
          { role: 'kernel', shape: [layer.kernel, layer.kernel, c, layer.filters], fanIn },
          ...(layer.bias ? [{ role: 'bias' as const, shape: [layer.filters], fanIn }] : []),
        ],
        macs: h * w * kernelParams,
        detail: `${layer.kernel}×${layer.kernel}/${layer.stride} ${layer.padding}, ${c}→${layer.filters}${layer.bias ? ' +bias' : ''}${activationText(layer.activation)}`,
      };
    },
  },
  maxPool: windowPooling('max', 'Max pooling (NHWC): the largest value of each size×size window.'),
  avgPool: windowPooling('average', 'Average pooling (NHWC): the mean of each size×size window (at a "same" border, of the pixels inside).'),
  globalAvgPool: {
    description: 'Global average pooling: each channel\'s mean over the whole map, one vector per image (a flatten that keeps only the channels).',
    fields: { name: layerName },
    problems: (_layer, input) => needsMap(input, 'global average pooling'),
    arithmetic(layer, input) {
      const [h, w, c] = imageInput(layer, input);
      return { outputShape: [c], parameters: [], macs: 0, detail: `mean over ${h}×${w} → ${c}` };
    },
  },
  batchNorm: {
    description: 'Batch normalisation of the map\'s channels (batch statistics while training, running statistics when measuring), then a learned scale and offset per channel, then the activation.',
    fields: {
      name: layerName,
      epsilon: rangedNumber({ min: 0, minExclusive: true, hint: 'TensorFlow\'s default is 0.001' },
        'Added to the variance before its square root, so a flat channel does not divide by zero; TensorFlow\'s default is 0.001.'),
      momentum: rangedNumber({ min: 0, max: 1, maxExclusive: true, hint: 'Keras\'s default is 0.99' },
        'How much of the running statistics each training step keeps, in [0, 1); Keras\'s default is 0.99.'),
      activation,
    },
    problems: (_layer, input) => needsMap(input, 'batch normalisation'),
    arithmetic(layer, input) {
      const c = imageInput(layer, input)[2];
      const perChannel = (role: ParameterRole): ParameterShape => ({ role, shape: [c], fanIn: 1 });
      return {
        outputShape: input,
        parameters: [perChannel('scale'), perChannel('offset'), perChannel('movingMean'), perChannel('movingVariance')],
        macs: 0,
        detail: `batch norm over ${c} channels, momentum ${layer.momentum}${activationText(layer.activation)}`,
      };
    },
  },
  flatten: {
    description: 'Reshapes each image\'s height×width×channels map to one vector, for the dense layers.',
    fields: { name: layerName },
    problems: (_layer, input) => (input.length === 3 ? [] : [{ message: `the input is already a vector of ${shapeText(input)}: remove this flatten` }]),
    arithmetic(_layer, input) {
      const units = input.reduce((a, b) => a * b, 1);
      return { outputShape: [units], parameters: [], macs: 0, detail: `${shapeText(input)} → ${units}` };
    },
  },
  dense: {
    description: 'Fully connected layer: units outputs, each a weighted sum of every input.',
    fields: { name: layerName, units: dimension('Output units; the last dense layer\'s units are the class logits.'), bias, activation },
    problems: (_layer, input) => (input.length === 1 ? [] : [{ message: `a dense layer needs a vector, but it gets the ${shapeText(input)} map: put a flatten (or global average pooling) block before this layer` }]),
    arithmetic(layer, input) {
      if (input.length !== 1) throw new ArchitectureError(layer.name, `dense needs a vector input, got ${shapeText(input)}: add a flatten (or global average pooling) before it`);
      const inUnits = input[0]!;
      return {
        outputShape: [layer.units],
        parameters: [
          { role: 'kernel', shape: [inUnits, layer.units], fanIn: inUnits },
          ...(layer.bias ? [{ role: 'bias' as const, shape: [layer.units], fanIn: inUnits }] : []),
        ],
        macs: inUnits * layer.units,
        detail: `${inUnits}→${layer.units}${layer.bias ? ' +bias' : ''}${activationText(layer.activation)}`,
      };
    },
  },
  dropout: {
    description: 'Dropout while training: keeps each unit with probability keepProb and scales it by 1/keepProb; off when evaluating.',
    fields: {
      name: layerName,
      keepProb: rangedNumber({ ...KEEP_PROB_RANGE, meaning: 'the fraction of units kept while training', hint: 'the seed uses 0.5' },
        'Probability of keeping a unit while training, in (0, 1]; 1 keeps every unit.'),
    },
    problems: () => [],
    arithmetic(layer, input) {
      return { outputShape: input, parameters: [], macs: 0, detail: `keep ${layer.keepProb} while training` };
    },
  },
  add: {
    description: 'The residual sum that ends a residual block: main path + shortcut, then a bias and the activation.',
    fields: { name: layerName, bias, activation },
    // The shapes it adds are the block's to check (blockProblems in architectureCheck.ts).
    problems: () => [],
    arithmetic(layer, input) {
      const channels = input[input.length - 1]!;
      return {
        outputShape: input,
        parameters: layer.bias ? [{ role: 'bias', shape: [channels], fanIn: 1 }] : [],
        macs: 0,
        detail: `main + shortcut${layer.bias ? ', +bias' : ''}${activationText(layer.activation)}`,
      };
    },
  },
};

/** The layer's number fields outside their ranges, in the words both the checker and the build use. */
function rangeProblems(layer: LayerSpec): LayerProblem[] {
  const kind = LAYER_KINDS[layer.op] as LayerKindRules<LayerKind> | undefined;
  return Object.entries(kind?.fields ?? {}).flatMap(([field, { range }]) => {
    const value = (layer as unknown as Record<string, number>)[field]!;
    if (!range || inRange(value, range)) return [];
    return [{ field, message: `${field} must be ${describeRange(range)}${range.meaning ? ` (${range.meaning})` : ''}, got ${value}: ${range.hint}` }];
  });
}

/** Everything wrong with a layer given the shape it receives: its fields' ranges, then its kind's own checks. */
export function layerProblems(layer: LayerSpec, input: Shape): LayerProblem[] {
  const kind = LAYER_KINDS[layer.op] as LayerKindRules<LayerKind>;
  return [...rangeProblems(layer), ...kind.problems(layer as never, input)];
}

/** Throws the first field outside its range as the layer's ArchitectureError, so a spec that skipped the checker is not built. */
export function checkFieldRanges(layer: LayerSpec): void {
  const [problem] = rangeProblems(layer);
  if (problem) throw new ArchitectureError(layer.name, problem.message);
}

/** The strict runtime check of one layer of a kind (own keys only, every field checked). */
export function layerCheck(op: LayerKind): Check {
  return shape({ op: exactly(op), ...Object.fromEntries(Object.entries(LAYER_KINDS[op].fields).map(([key, rule]) => [key, rule.check])) });
}

/** The JSON Schema of one layer of a kind. */
export function layerSchema(op: LayerKind): JsonSchema {
  const kind = LAYER_KINDS[op];
  return {
    type: 'object',
    description: kind.description,
    properties: { op: { const: op, description: kind.description }, ...Object.fromEntries(Object.entries(kind.fields).map(([key, rule]) => [key, rule.schema])) },
    required: ['op', ...Object.keys(kind.fields)],
    additionalProperties: false,
  };
}

export const LAYER_OPS = Object.keys(LAYER_KINDS) as LayerKind[];
