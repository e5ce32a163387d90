// Activation statistics of the selected block's layers on the probe batch: how wide the outputs
// are, how many are exactly zero, and how many units never fire (dead ReLUs).
import { DEAD_RELU_ERROR, DEAD_RELU_WARNING } from '../shared/activationDiagnosis';
import type { LayerActivationStats } from '../shared/trainingReports';
import type { BlockActivations } from './activationSource';
import { h, scrollRegion, wrappableName } from './dom';
import { formatPercent, formatStat } from './numberFormat';

export function activationTable(activations: BlockActivations, reluLayers: ReadonlySet<string>): HTMLElement {
  const compare = activations.initial.size > 0 && activations.step > 0;
  return scrollRegion('Activation statistics', h('table', { class: 'data-table activation-table', 'data-testid': 'activation-table' },
    h('caption', { class: 'visually-hidden' }, `Activation statistics per layer output at step ${activations.step}: spread, largest value, zeros and dead units`),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Layer output'),
      h('th', { scope: 'col', class: 'num' }, 'Std'),
      compare ? h('th', { scope: 'col', class: 'num', title: 'standard deviation at the first step of the run' }, 'Std at step\u00a00') : null,
      h('th', { scope: 'col', class: 'num' }, 'Max |value|'),
      h('th', { scope: 'col', class: 'num', title: 'fraction of outputs that are exactly zero' }, 'Zeros'),
      h('th', { scope: 'col', class: 'num', title: 'units (channels or dense units) that are zero for every probe image' }, 'Dead units'))),
    h('tbody', {}, ...activations.layers.map((layer) => activationRow(layer, compare, activations.initial.get(layer.layerName), reluLayers.has(layer.layerName))))));
}

function activationRow(layer: LayerActivationStats, compare: boolean, initial: LayerActivationStats | undefined, afterRelu: boolean): HTMLTableRowElement {
  const finite = Number.isFinite(layer.std) && Number.isFinite(layer.maxAbs);
  return h('tr', { class: finite ? false : 'has-error', 'data-testid': `activation-${layer.layerName}` },
    h('td', { class: 'mono' }, wrappableName(layer.layerName)),
    h('td', { class: finite ? 'num' : 'num error-text' }, formatStat(layer.std)),
    compare ? h('td', { class: 'num muted' }, initial ? formatStat(initial.std) : '—') : null,
    h('td', { class: 'num' }, formatStat(layer.maxAbs)),
    h('td', { class: 'num' }, formatPercent(layer.zeroFraction, 0)),
    h('td', { class: 'num', 'data-testid': 'dead-fraction' },
      h('span', { class: deadClass(layer.deadFraction, afterRelu) }, formatPercent(layer.deadFraction, layer.deadFraction > 0 && layer.deadFraction < 0.01 ? 1 : 0))));
}

/** Colours follow the diagnosis thresholds, so the table and the findings never disagree. */
export function deadClass(fraction: number, afterRelu: boolean): string {
  if (!afterRelu) return '';
  if (fraction >= DEAD_RELU_ERROR) return 'error-text';
  if (fraction >= DEAD_RELU_WARNING) return 'warning-text';
  return '';
}
