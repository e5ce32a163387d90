// Live statistics of the selected block's parameter tensors. A NaN count above zero is the first
// sign of a diverged run, so it is drawn as an error.
import { formatShape } from '../shared/modelFigures';
import type { WeightStats } from '../shared/trainingReports';
import { h, scrollRegion, wrappableName } from './dom';
import { formatCount, formatStat } from './numberFormat';

export function weightTable(weights: readonly WeightStats[]): HTMLElement {
  if (weights.length === 0) return h('p', { class: 'muted' }, 'This block has no trainable parameters.');
  return scrollRegion('Weight statistics', h('table', { class: 'data-table weight-table', 'data-testid': 'weight-table' },
    h('caption', { class: 'visually-hidden' }, 'Live weight statistics per parameter tensor: shape, minimum, maximum, mean, standard deviation and NaN count'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Parameter'), h('th', { scope: 'col' }, 'Shape'),
      ...['Min', 'Max', 'Mean', 'Std', 'NaN'].map((label) => h('th', { scope: 'col', class: 'num' }, label)))),
    h('tbody', {}, ...weights.map(weightRow))));
}

function weightRow(weight: WeightStats): HTMLTableRowElement {
  const nan = weight.nanCount > 0;
  return h('tr', { class: nan ? 'has-error' : false, 'data-testid': `weight-${weight.name}` },
    h('td', { class: 'mono' }, wrappableName(weight.name)),
    h('td', { class: 'mono nowrap', title: `${formatCount(weight.count)} values` }, formatShape(weight.shape)),
    ...[weight.min, weight.max, weight.mean, weight.std].map((v) => h('td', { class: 'num' }, formatStat(v))),
    h('td', { class: nan ? 'num error-text' : 'num muted', 'data-testid': 'nan-count' }, formatCount(weight.nanCount)));
}
