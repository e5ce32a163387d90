// The selected block's layers with their shapes, parameters and multiply-adds. The shortcut gets
// its own row, so a projection reads as "projection shortcut · 1×1/1 valid, 64→256" and an
// identity block says plainly that its shortcut adds the input unchanged.
import type { BlockSpec } from '../shared/architecture';
import { formatShape, type BlockFigures, type LayerFigures } from '../shared/modelFigures';
import { operationName } from './blockTitles';
import { h, scrollRegion, shapeChange, wrappableName } from './dom';
import { formatCount, formatMacs } from './numberFormat';

export function layerTable(block: BlockSpec, figures: BlockFigures): HTMLElement {
  if (figures.layers.length === 0) {
    return h('p', { class: 'muted' }, `No layers: this is the network's input, ${formatShape(figures.outputShape)} per image.`);
  }
  const rows: HTMLTableRowElement[] = [];
  for (const layer of figures.layers) {
    if (layer.op === 'add' && block.shortcut?.kind === 'identity') rows.push(identityShortcutRow(block.id, layer));
    rows.push(layer.shortcut ? projectionShortcutRow(layer) : layerRow(layer));
  }
  return scrollRegion(`Layers of ${block.id}`, h('table', { class: 'data-table layer-table', 'data-testid': 'layer-table' },
    h('caption', { class: 'visually-hidden' }, `Layers of ${block.id}: operation, input and output shapes, parameters and multiply-adds per image`),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Layer'), h('th', { scope: 'col' }, 'Operation'), h('th', { scope: 'col' }, 'Input → output'),
      h('th', { scope: 'col', class: 'num' }, 'Params'), h('th', { scope: 'col', class: 'num', title: 'multiply-adds per image' }, 'MACs'))),
    h('tbody', {}, ...rows)));
}

function layerRow(layer: LayerFigures): HTMLTableRowElement {
  return h('tr', { 'data-testid': `layer-${layer.name}` },
    h('td', { class: 'mono' }, wrappableName(layer.name)), operationCell(operationName(layer), layer.detail),
    shapesCell(layer), countCell(layer.params), macsCell(layer.macs));
}

function projectionShortcutRow(layer: LayerFigures): HTMLTableRowElement {
  return h('tr', { class: 'shortcut-row projection', 'data-testid': `layer-${layer.name}` },
    h('td', { class: 'mono' }, wrappableName(layer.name)), operationCell(h('span', { class: 'tag' }, 'projection shortcut'), layer.detail),
    shapesCell(layer), countCell(layer.params), macsCell(layer.macs));
}

function identityShortcutRow(blockId: string, add: LayerFigures): HTMLTableRowElement {
  return h('tr', { class: 'shortcut-row identity', 'data-testid': `layer-${blockId}/shortcut` },
    h('td', { class: 'mono muted' }, wrappableName(`${blockId}/shortcut`)), operationCell(h('span', { class: 'tag' }, 'identity shortcut'), 'the block input, added unchanged'),
    h('td', { class: 'mono' }, ...shapeChange(formatShape(add.inputShape), formatShape(add.inputShape))), countCell(0), macsCell(0));
}

/** "conv · 1×1/1 same, 64→256 +bias ReLU": the operation, then its kernel, stride, padding and channels. */
function operationCell(operation: Node | string, detail: string): HTMLTableCellElement {
  return h('td', {}, h('span', { class: 'operation' }, operation), h('span', { class: 'muted' }, ' · '), detail);
}

function shapesCell(layer: LayerFigures): HTMLTableCellElement {
  return h('td', { class: 'mono' }, ...shapeChange(formatShape(layer.inputShape), formatShape(layer.outputShape)));
}

function countCell(value: number): HTMLTableCellElement {
  return h('td', { class: value === 0 ? 'num muted' : 'num' }, value === 0 ? '—' : formatCount(value));
}

function macsCell(value: number): HTMLTableCellElement {
  return h('td', { class: value === 0 ? 'num muted' : 'num' }, value === 0 ? '—' : formatMacs(value));
}
