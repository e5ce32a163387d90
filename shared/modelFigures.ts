// Shape, parameter and multiply-add arithmetic over an ArchitectureSpec. Pure, so the webview,
// the trainer and the tests all agree on one set of figures.
import type { ArchitectureSpec, BlockSpec, LayerSpec } from './architecture';
import { ArchitectureError } from './architectureError';
import { layerArithmetic, sizeOfShape, type Shape } from './layerArithmetic';

export type { Shape } from './layerArithmetic';

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

/** One layer's output shape, parameters and multiply-adds, given the shape it receives. */
export function layerFigures(layer: LayerSpec, input: Shape): LayerFigures {
  const { outputShape, parameters, macs, detail } = layerArithmetic(layer, input);
  return { name: layer.name, op: layer.op, inputShape: input, outputShape, params: parameters.reduce((sum, p) => sum + sizeOfShape(p.shape), 0), macs, detail };
}

function blockFigures(block: BlockSpec, input: Shape): BlockFigures {
  const layers: LayerFigures[] = [];
  let shape = input;
  for (const layer of block.layers) {
    if (layer.op === 'add' && block.shortcut?.kind === 'projection') {
      const shortcut = { ...layerFigures(block.shortcut.layer, input), shortcut: true };
      if (shortcut.outputShape.join() !== shape.join()) {
        throw new ArchitectureError(block.id, `shortcut gives ${shortcut.outputShape.join('×')} but the main path gives ${shape.join('×')}`);
      }
      layers.push(shortcut);
    } else if (layer.op === 'add' && shape.join() !== input.join()) {
      throw new ArchitectureError(block.id, `an identity shortcut needs equal shapes, got ${input.join('×')} and ${shape.join('×')}`);
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

/** Walks the blocks in order, checking that every shortcut's shapes meet; throws ArchitectureError for a spec that cannot be built. */
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
