// A few large numbers at the top of the inspector so a sick block is obvious at a glance: for
// the logits, how saturated the softmax is (and how it was at step 0); for any other block, how
// its output is spread and how many of its units are dead.
import { COLLAPSED_CLASS_SHARE, CONFIDENTLY_WRONG_ERROR, SATURATED_LOGIT } from '../shared/activationDiagnosis';
import type { ActivationReport, EvaluationReport, LayerActivationStats } from '../shared/trainingReports';
import { deadClass } from './activationTable';
import { h } from './dom';
import { formatPercent, formatStat } from './numberFormat';

type Tone = 'error' | 'warning' | '';

/** One figure. A screen reader hears it as one phrase ("dead units: 79%, never fire on probes"), not as a bare number. */
function tile(label: string, value: string, tone: Tone, note: string, testId: string): HTMLElement {
  const concern = tone === 'error' ? ' (a problem)' : tone === 'warning' ? ' (a warning)' : '';
  return h('div', { class: `tile ${tone}`.trim(), 'data-testid': testId, title: note, role: 'group', 'aria-label': `${label}: ${value}${concern}, ${note}` },
    h('div', { class: 'tile-label', 'aria-hidden': 'true' }, label), h('div', { class: 'tile-value', 'aria-hidden': 'true' }, value),
    h('div', { class: 'tile-note', 'aria-hidden': 'true' }, note));
}

/** Logit statistics for the output block, plus the class the model predicts most on the latest evaluation. */
export function logitTiles(report: ActivationReport, initial: ActivationReport | null, evaluation: EvaluationReport | null): HTMLElement {
  const { std, maxAbs, saturatedFraction, confidentlyWrongFraction } = report.logits;
  // Beside step 0's value, the seed preset's story reads in one row: saturated at first, flat later.
  const first = initial && initial.step < report.step ? initial : null;
  const note = (atFirst: (logits: ActivationReport['logits']) => string, otherwise: string) =>
    (first ? `step ${first.step}: ${atFirst(first.logits)}` : otherwise);
  const tiles = [
    tile('logits std', formatStat(std), maxAbs > SATURATED_LOGIT ? 'warning' : '',
      note((l) => formatStat(l.std), `${report.probeExamples} probe images`), 'logits-std'),
    tile('max |logit|', formatStat(maxAbs), maxAbs > SATURATED_LOGIT ? 'warning' : '',
      note((l) => formatStat(l.maxAbs), `very large above ${SATURATED_LOGIT}`), 'logits-max'),
    tile('saturated', formatPercent(saturatedFraction, 0), '',
      note((l) => formatPercent(l.saturatedFraction, 0), 'softmax > 0.99'), 'logits-saturated'),
    tile('confidently wrong', formatPercent(confidentlyWrongFraction, 0), confidentlyWrongFraction >= CONFIDENTLY_WRONG_ERROR ? 'error' : '',
      note((l) => formatPercent(l.confidentlyWrongFraction, 0), 'wrong with softmax > 0.99'), 'logits-confidently-wrong'),
  ];
  const total = evaluation?.predictedClassCounts.reduce((a, b) => a + b, 0) ?? 0;
  if (evaluation && total > 0) {
    const top = Math.max(...evaluation.predictedClassCounts);
    const share = top / total;
    tiles.push(tile('top class', `“${evaluation.predictedClassCounts.indexOf(top)}”`,
      share >= COLLAPSED_CLASS_SHARE ? 'error' : '', `${formatPercent(share, 0)} of ${evaluation.split}`, 'top-class'));
  }
  return h('div', { class: 'tiles' }, ...tiles);
}

/** The block's output (its last measured layer): spread, largest value, dead units. */
export function outputTiles(layer: LayerActivationStats, afterRelu: boolean): HTMLElement {
  const dead = deadClass(layer.deadFraction, afterRelu);
  const finite = Number.isFinite(layer.std) && Number.isFinite(layer.maxAbs);
  return h('div', { class: 'tiles' },
    tile('output std', formatStat(layer.std), finite ? '' : 'error', layer.layerName, 'output-std'),
    tile('max |value|', formatStat(layer.maxAbs), finite ? '' : 'error', layer.layerName, 'output-max'),
    tile('dead units', formatPercent(layer.deadFraction, 0), dead === 'error-text' ? 'error' : dead === 'warning-text' ? 'warning' : '',
      afterRelu ? 'never fire on probes' : 'not after a ReLU', 'dead-units'),
    tile('zeros', formatPercent(layer.zeroFraction, 0), '', 'of all outputs', 'zero-fraction'),
  );
}
