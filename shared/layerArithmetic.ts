// Each layer kind's arithmetic, in one place: its output shape, the parameters it owns (shape and
// fan-in), its multiply-adds and how it is described. The figures (modelFigures.ts), the trainer's
// parameter list (trainer/model/parameterSpecs.ts) and both engines' static sizes all come from here.
// The map is typed over every LayerKind, so a kind without arithmetic does not compile.
import type { LayerKind, LayerOf, LayerSpec } from './architecture';
import { ArchitectureError } from './architectureError';

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

type ArithmeticOf<K extends LayerKind> = (layer: LayerOf<K>, input: Shape) => LayerArithmetic;

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

const LAYER_ARITHMETIC: { [K in LayerKind]: ArithmeticOf<K> } = {
  conv2d(layer, input) {
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
  maxPool(layer, input) {
    const image = imageInput(layer, input);
    return { outputShape: [...windowOut(layer, image, layer.size, layer.stride, layer.padding), image[2]], parameters: [], macs: 0, detail: `max ${layer.size}×${layer.size}/${layer.stride} ${layer.padding}` };
  },
  avgPool(layer, input) {
    const image = imageInput(layer, input);
    return { outputShape: [...windowOut(layer, image, layer.size, layer.stride, layer.padding), image[2]], parameters: [], macs: 0, detail: `average ${layer.size}×${layer.size}/${layer.stride} ${layer.padding}` };
  },
  globalAvgPool(layer, input) {
    const [h, w, c] = imageInput(layer, input);
    return { outputShape: [c], parameters: [], macs: 0, detail: `mean over ${h}×${w} → ${c}` };
  },
  batchNorm(layer, input) {
    const c = imageInput(layer, input)[2];
    if (!(layer.epsilon > 0)) throw new ArchitectureError(layer.name, `epsilon ${layer.epsilon} must be greater than 0 (TensorFlow's default is 0.001)`);
    if (!(layer.momentum >= 0 && layer.momentum < 1)) throw new ArchitectureError(layer.name, `momentum ${layer.momentum} is outside [0, 1) (Keras's default is 0.99)`);
    const perChannel = (role: ParameterRole): ParameterShape => ({ role, shape: [c], fanIn: 1 });
    return {
      outputShape: input,
      parameters: [perChannel('scale'), perChannel('offset'), perChannel('movingMean'), perChannel('movingVariance')],
      macs: 0,
      detail: `batch norm over ${c} channels, momentum ${layer.momentum}${activationText(layer.activation)}`,
    };
  },
  flatten(_layer, input) {
    const units = input.reduce((a, b) => a * b, 1);
    return { outputShape: [units], parameters: [], macs: 0, detail: `${input.join('×')} → ${units}` };
  },
  dense(layer, input) {
    if (input.length !== 1) throw new ArchitectureError(layer.name, `dense needs a vector input, got ${input.join('×')}: add a flatten (or global average pooling) before it`);
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
  dropout(layer, input) {
    if (!(layer.keepProb > 0 && layer.keepProb <= 1)) throw new ArchitectureError(layer.name, `keep probability ${layer.keepProb} is outside (0, 1]`);
    return { outputShape: input, parameters: [], macs: 0, detail: `keep ${layer.keepProb} while training` };
  },
  add(layer, input) {
    const channels = input[input.length - 1]!;
    return {
      outputShape: input,
      parameters: layer.bias ? [{ role: 'bias', shape: [channels], fanIn: 1 }] : [],
      macs: 0,
      detail: `main + shortcut${layer.bias ? ', +bias' : ''}${activationText(layer.activation)}`,
    };
  },
};

/** The arithmetic of `layer` applied to an input of shape `input`; throws ArchitectureError for a spec that cannot be built. */
export function layerArithmetic(layer: LayerSpec, input: Shape): LayerArithmetic {
  const arithmetic = LAYER_ARITHMETIC[layer.op] as ArithmeticOf<LayerKind> | undefined;
  if (!arithmetic) throw new ArchitectureError(layer.name, `unknown layer type ${JSON.stringify(layer.op)}`);
  return arithmetic(layer as never, input);
}

/** Number of values in a tensor of this shape. */
export function sizeOfShape(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
