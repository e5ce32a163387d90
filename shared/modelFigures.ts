// Shape, parameter and multiply-add arithmetic over an ArchitectureSpec. Pure, so the webview,
// the trainer and the tests all agree on one set of figures.
import type { ArchitectureSpec, BlockSpec, LayerSpec } from './architecture';

/** [height, width, channels] for images, [units] after flatten. */
export type Shape = number[];

export interface LayerFigures {
  name: string;
  op: LayerSpec['op'];
  inputShape: Shape;
  outputShape: Shape;
  params: number;
  macs: number;
  /** Human-readable kernel/stride/padding, e.g. "1×1/1 same, 64→256". */
  detail: string;
  /** The shortcut path of a residual block, drawn apart from the main path. */
  shortcut?: boolean;
}

export interface BlockFigures {
  id: string;
  inputShape: Shape;
  outputShape: Shape;
  params: number;
  macs: number;
  layers: LayerFigures[];
}

export interface ModelFigures {
  blocks: BlockFigures[];
  totalParams: number;
  totalMacs: number;
}

function spatialOut(size: number, kernel: number, stride: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.ceil((size - kernel + 1) / stride);
}

/** One layer's output shape, parameters and multiply-adds, given the shape it receives. */
export function layerFigures(layer: LayerSpec, input: Shape): LayerFigures {
  switch (layer.op) {
    case 'conv2d': {
      const [h, w, c] = input as [number, number, number];
      const out = [spatialOut(h, layer.kernel, layer.stride, layer.padding), spatialOut(w, layer.kernel, layer.stride, layer.padding), layer.filters];
      const kernelParams = layer.kernel * layer.kernel * c * layer.filters;
      return {
        name: layer.name, op: layer.op, inputShape: input, outputShape: out,
        params: kernelParams + (layer.bias ? layer.filters : 0),
        macs: out[0]! * out[1]! * kernelParams,
        detail: `${layer.kernel}×${layer.kernel}/${layer.stride} ${layer.padding}, ${c}→${layer.filters}${layer.bias ? ' +bias' : ''}${layer.activation === 'relu' ? ' ReLU' : ''}`,
      };
    }
    case 'maxPool': {
      const [h, w, c] = input as [number, number, number];
      const out = [spatialOut(h, layer.size, layer.stride, layer.padding), spatialOut(w, layer.size, layer.stride, layer.padding), c];
      return { name: layer.name, op: layer.op, inputShape: input, outputShape: out, params: 0, macs: 0, detail: `max ${layer.size}×${layer.size}/${layer.stride} ${layer.padding}` };
    }
    case 'flatten': {
      const units = input.reduce((a, b) => a * b, 1);
      return { name: layer.name, op: layer.op, inputShape: input, outputShape: [units], params: 0, macs: 0, detail: `${input.join('×')} → ${units}` };
    }
    case 'dense': {
      const inUnits = input[0]!;
      return {
        name: layer.name, op: layer.op, inputShape: input, outputShape: [layer.units],
        params: inUnits * layer.units + (layer.bias ? layer.units : 0),
        macs: inUnits * layer.units,
        detail: `${inUnits}→${layer.units}${layer.bias ? ' +bias' : ''}${layer.activation === 'relu' ? ' ReLU' : ''}`,
      };
    }
    case 'dropout':
      return { name: layer.name, op: layer.op, inputShape: input, outputShape: input, params: 0, macs: 0, detail: `keep ${layer.keepProb} while training` };
    case 'add': {
      const channels = input[input.length - 1]!;
      return {
        name: layer.name, op: layer.op, inputShape: input, outputShape: input,
        params: layer.bias ? channels : 0, macs: 0,
        detail: `main + shortcut${layer.bias ? ', +bias' : ''}${layer.activation === 'relu' ? ' ReLU' : ''}`,
      };
    }
    default: {
      const unknown: never = layer;
      throw new Error(`unknown layer ${JSON.stringify(unknown)}`);
    }
  }
}

function blockFigures(block: BlockSpec, input: Shape): BlockFigures {
  const layers: LayerFigures[] = [];
  let shape = input;
  for (const layer of block.layers) {
    if (layer.op === 'add' && block.shortcut?.kind === 'projection') {
      const shortcut = { ...layerFigures(block.shortcut.layer, input), shortcut: true };
      if (shortcut.outputShape.join() !== shape.join()) {
        throw new Error(`${block.id}: shortcut gives ${shortcut.outputShape.join('×')} but the main path gives ${shape.join('×')}`);
      }
      layers.push(shortcut);
    } else if (layer.op === 'add' && shape.join() !== input.join()) {
      throw new Error(`${block.id}: an identity shortcut needs equal shapes, got ${input.join('×')} and ${shape.join('×')}`);
    }
    const figures = layerFigures(layer, shape);
    layers.push(figures);
    shape = figures.outputShape;
  }
  return {
    id: block.id, inputShape: input, outputShape: shape, layers,
    params: layers.reduce((sum, l) => sum + l.params, 0),
    macs: layers.reduce((sum, l) => sum + l.macs, 0),
  };
}

/** Walks the blocks in order, checking that every shortcut's shapes meet. */
export function computeModelFigures(arch: ArchitectureSpec): ModelFigures {
  const blocks: BlockFigures[] = [];
  let shape: Shape = [...arch.inputShape];
  for (const block of arch.blocks) {
    const figures = blockFigures(block, shape);
    blocks.push(figures);
    shape = figures.outputShape;
  }
  return {
    blocks,
    totalParams: blocks.reduce((sum, b) => sum + b.params, 0),
    totalMacs: blocks.reduce((sum, b) => sum + b.macs, 0),
  };
}

/** "14×14×256" / "12544": how shapes are written everywhere in the UI. */
export function formatShape(shape: readonly number[]): string {
  return shape.join('×');
}
