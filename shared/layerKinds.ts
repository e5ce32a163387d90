// One entry per layer kind of shared/architecture.ts: its fields (each with the runtime check the
// message guards use, the JSON Schema the editor uses, and the hover text both show), and the
// checks of the kind against the shape it receives. The record is keyed by LayerSpec['op'], so a
// layer kind added to architecture.ts without an entry here fails to compile.
import type { LayerSpec } from './architecture';
import { formatShape, type Shape } from './modelFigures';
import { boolean, exactly, finiteNumber, integer, oneOf, shape, text, type Check } from './validation';

/** A JSON Schema fragment (the subset the architecture schema uses). */
export type JsonSchema = Record<string, unknown>;

export interface FieldRule {
  check: Check;
  schema: JsonSchema;
}

/** A problem with one layer, on one of its fields (or the whole layer when field is absent). */
export interface LayerProblem {
  field?: string;
  message: string;
}

export interface LayerKind {
  /** Hover text of the layer object in the editor. */
  description: string;
  /** Every field but `op`, all required. */
  fields: Record<string, FieldRule>;
  /** What is wrong with this layer given the shape it receives; empty when it fits. */
  problems(layer: never, input: Shape): LayerProblem[];
}

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
  check: oneOf(['relu', 'none']),
  schema: { enum: ['relu', 'none'], description: 'Applied to this layer\'s output: "relu" or "none".' },
};

/** A layer that needs a height×width×channels map; the problem when it gets a vector instead. */
function needsMap(input: Shape, what: string): LayerProblem[] {
  return input.length === 3 ? [] : [{ message: `${what} needs a height×width×channels map, but it gets a vector of ${formatShape(input)} (after flatten): move this layer before the flatten block` }];
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

type Of<Op extends LayerSpec['op']> = Extract<LayerSpec, { op: Op }>;

export const LAYER_KINDS: { readonly [Op in LayerSpec['op']]: LayerKind & { problems(layer: Of<Op>, input: Shape): LayerProblem[] } } = {
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
  },
  maxPool: {
    description: 'Max pooling (NHWC): the largest value of each size×size window.',
    fields: { name: layerName, size: dimension('Window height and width.'), stride: dimension('Step of the window.'), padding },
    problems: (layer, input) => {
      const map = needsMap(input, 'max pooling');
      return map.length > 0 ? map : windowProblems(input, layer.size, layer.stride, layer.padding, 'size');
    },
  },
  flatten: {
    description: 'Reshapes each image\'s height×width×channels map to one vector, for the dense layers.',
    fields: { name: layerName },
    problems: (_layer, input) => (input.length === 3 ? [] : [{ message: `the input is already a vector of ${formatShape(input)}: remove this flatten` }]),
  },
  dense: {
    description: 'Fully connected layer: units outputs, each a weighted sum of every input.',
    fields: { name: layerName, units: dimension('Output units; the last dense layer\'s units are the class logits.'), bias, activation },
    problems: (_layer, input) => (input.length === 1 ? [] : [{ message: `a dense layer needs a vector, but it gets the ${formatShape(input)} map: put a flatten block before this layer` }]),
  },
  dropout: {
    description: 'Dropout while training: keeps each unit with probability keepProb and scales it by 1/keepProb; off when evaluating.',
    fields: {
      name: layerName,
      keepProb: { check: finiteNumber, schema: { type: 'number', exclusiveMinimum: 0, maximum: 1, description: 'Probability of keeping a unit while training, in (0, 1]; 1 keeps every unit.' } },
    },
    problems: (layer) => (layer.keepProb > 0 && layer.keepProb <= 1 ? [] : [{ field: 'keepProb', message: `keepProb must be more than 0 and at most 1 (the fraction of units kept while training), got ${layer.keepProb}: the seed uses 0.5` }]),
  },
  add: {
    description: 'The residual sum that ends a residual block: main path + shortcut, then a bias and the activation.',
    fields: { name: layerName, bias, activation },
    // The shapes it adds are the block's to check (blockProblems in architectureCheck.ts).
    problems: () => [],
  },
};

/** The strict runtime check of one layer of a kind (own keys only, every field checked). */
export function layerCheck(op: LayerSpec['op']): Check {
  return shape({ op: exactly(op), ...Object.fromEntries(Object.entries(LAYER_KINDS[op].fields).map(([key, rule]) => [key, rule.check])) });
}

/** The JSON Schema of one layer of a kind. */
export function layerSchema(op: LayerSpec['op']): JsonSchema {
  const kind = LAYER_KINDS[op];
  return {
    type: 'object',
    description: kind.description,
    properties: { op: { const: op, description: kind.description }, ...Object.fromEntries(Object.entries(kind.fields).map(([key, rule]) => [key, rule.schema])) },
    required: ['op', ...Object.keys(kind.fields)],
    additionalProperties: false,
  };
}

export const LAYER_OPS = Object.keys(LAYER_KINDS) as LayerSpec['op'][];
