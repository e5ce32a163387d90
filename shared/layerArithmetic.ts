// A layer's arithmetic: its output shape, the parameters it owns (shape and fan-in), its
// multiply-adds and how it is described. The figures (modelFigures.ts), the trainer's parameter
// list (trainer/model/parameterSpecs.ts) and both engines' static sizes all come from here; each
// kind's own arithmetic is its entry in shared/layerKinds.ts (one definition per kind).
import type { LayerKind, LayerSpec } from './architecture';
import { ArchitectureError } from './architectureError';
import { checkFieldRanges, LAYER_KINDS, type LayerKindRules } from './layerKinds';

/** [height, width, channels] for images, [units] after flatten. */
export type Shape = number[];

/**
 * What a tensor a layer owns is for. kernel, bias, scale and offset are trained by Adam;
 * movingMean and movingVariance (batch normalisation's running statistics) are set by each
 * training step instead, and saved and restored with the rest.
 */
export type ParameterRole = 'kernel' | 'bias' | 'scale' | 'offset' | 'movingMean' | 'movingVariance';

/** Whether Adam trains tensors of this role (the running statistics it does not). */
export function isTrainedByAdam(role: ParameterRole): boolean {
  return role !== 'movingMean' && role !== 'movingVariance';
}

/** One tensor a layer owns, named `${layer.name}/${role}`. */
export interface ParameterShape {
  role: ParameterRole;
  shape: number[];
  /** Inputs feeding one output unit: He-normal's σ is sqrt(2 / fanIn). */
  fanIn: number;
}

export interface LayerArithmetic {
  outputShape: Shape;
  /** In a stable order: kernel before bias. */
  parameters: ParameterShape[];
  macs: number;
  /** Human-readable kernel/stride/padding, e.g. "1×1/1 same, 64→256". */
  detail: string;
}

/** The arithmetic of `layer` applied to an input of shape `input`; throws ArchitectureError for a spec that cannot be built. */
export function layerArithmetic(layer: LayerSpec, input: Shape): LayerArithmetic {
  const kind = LAYER_KINDS[layer.op] as LayerKindRules<LayerKind> | undefined;
  if (!kind) throw new ArchitectureError(layer.name, `unknown layer type ${JSON.stringify(layer.op)}`);
  checkFieldRanges(layer);
  return kind.arithmetic(layer as never, input);
}

/** Number of values in a tensor of this shape. */
export function sizeOfShape(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
