// Words for blocks and layers, derived from the spec so the diagram, the table and the inspector
// name things the same way.
import type { BlockSpec } from '../shared/architecture';
import type { BlockFigures, LayerFigures } from '../shared/modelFigures';

/** "res2a · convolutional block" → "convolutional block"; "flatten" → "". */
export function shortTitle(block: BlockSpec): string {
  const prefix = `${block.id} · `;
  if (block.title.startsWith(prefix)) return block.title.slice(prefix.length);
  return block.title === block.id ? '' : block.title;
}

/** The bypass label, e.g. "1×1 conv, 64→256" for a projection or "identity" (H = F(x) + x). */
export function shortcutLabel(block: BlockSpec, figures: BlockFigures): string | null {
  const shortcut = block.shortcut;
  if (!shortcut) return null;
  if (shortcut.kind === 'identity') return 'identity';
  const { kernel, stride, filters } = shortcut.layer;
  const inChannels = figures.inputShape[figures.inputShape.length - 1];
  return `${kernel}×${kernel} conv${stride === 1 ? '' : `/${stride}`}, ${inChannels}→${filters}`;
}

const OPERATION_NAMES: Record<LayerFigures['op'], string> = {
  conv2d: 'conv', maxPool: 'max pool', avgPool: 'average pool', globalAvgPool: 'global average pool', batchNorm: 'batch norm',
  flatten: 'flatten', dense: 'dense', dropout: 'dropout', add: 'add',
};

export function operationName(layer: LayerFigures): string {
  return OPERATION_NAMES[layer.op];
}

