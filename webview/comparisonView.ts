// The comparison of runs (the Runs view's Compare): loss, batch accuracy and validation accuracy
// of every run overlaid, one colour per run in all three charts and the legend, whose buttons
// hide or show a run; then the runs' configs with the differing rows highlighted, and their
// final metrics. The host sends it again as a compared run trains, so it updates live.
import uPlot from 'uplot';
import { CONFIG_FIELDS, type ComparedRun, type RunComparison } from '../shared/runComparison';
import { fieldLabel } from '../shared/newRunForm';
import type { TrainingConfig } from '../shared/trainingConfig';
import { axes, lossAxis, LOSS_SCALE } from './charts';
import { readChartTheme, runPalette, watchTheme, type ChartTheme } from './chartTheme';
import { custom, h, scrollRegion } from './dom';
import { formatDuration, formatPercent } from './numberFormat';

const PLOT_HEIGHT = 200;

interface CurveChart {
  card: HTMLElement;
  host: HTMLElement;
  chart: uPlot | null;
  data: uPlot.AlignedData;
  /** Percent axis (0–100) or the loss's log axis. */
  percent: boolean;
}

/** The row heading of a config field: the New Run form's label ("Length" there reads as steps here). */
const configLabel = (field: keyof TrainingConfig) => (field === 'steps' ? 'Steps' : fieldLabel(field));

const METRICS: readonly [string, (run: ComparedRun) => string][] = [
  ['best validation accuracy', (r) => percent(r.metrics.bestValidationAccuracy)],
  ['final validation accuracy', (r) => percent(r.metrics.finalValidationAccuracy)],
  ['test accuracy', (r) => percent(r.metrics.testAccuracy)],
  ['steps', (r) => `${r.metrics.stepsDone} / ${r.config.steps}`],
  ['wall time', (r) => (r.metrics.wallSec === null ? '—' : formatDuration(r.metrics.wallSec))],
  ['images/s', (r) => (r.metrics.imagesPerSec === null ? '—' : r.metrics.imagesPerSec.toFixed(1))],
  ['peak memory', (r) => (r.metrics.peakRssMb === null ? '—' : `${Math.round(r.metrics.peakRssMb).toLocaleString('en-US')} MB`)],
  ['fc1 dead units', (r) => percent(r.metrics.fc1DeadFraction)],
];

function percent(value: number | null): string {
  return value === null ? '—' : formatPercent(value);
}

export class ComparisonView {
  readonly element = h('section', { class: 'card comparison-card', 'aria-label': 'Run comparison', 'data-testid': 'comparison' });
  private readonly title = h('h2', { class: 'card-title' });
  private readonly legend = h('div', { class: 'comparison-legend', role: 'group', 'aria-label': 'Runs: press to hide or show a run in the charts' });
  private readonly charts: CurveChart[];
  private readonly configTable = h('table', { class: 'data-table comparison-table', 'data-testid': 'comparison-config' });
  private readonly metricsTable = h('table', { class: 'data-table comparison-table', 'data-testid': 'comparison-metrics' });
  private comparison: RunComparison | null = null;
  private readonly hidden = new Set<string>();
  /** The run ids the charts were built for: other runs need new series. */
  private builtFor = '';

  constructor(close: () => void) {
    this.charts = [chart('Training loss', 'comparison-loss', false), chart('Batch accuracy', 'comparison-batch', true), chart('Validation accuracy', 'comparison-validation', true)];
    const closeButton = custom('vscode-button', { secondary: true, 'data-testid': 'comparison-close', title: 'Close the comparison' }, 'Close');
    closeButton.addEventListener('click', close);
    this.element.append(
      h('div', { class: 'comparison-head' }, this.title, closeButton),
      this.legend,
      h('div', { class: 'comparison-charts' }, ...this.charts.map((c) => c.card)),
      h('h3', { class: 'comparison-subtitle' }, 'Configuration', h('span', { class: 'muted' }, ' · differing fields highlighted')),
      scrollRegion('Configurations of the compared runs', this.configTable),
      h('h3', { class: 'comparison-subtitle' }, 'Results'),
      scrollRegion('Results of the compared runs', this.metricsTable),
    );
    this.element.hidden = true;
    const resize = new ResizeObserver(() => this.layout());
    for (const c of this.charts) resize.observe(c.host);
    watchTheme(() => this.rebuild());
  }

  update(comparison: RunComparison | null): void {
    this.comparison = comparison;
    this.element.hidden = comparison === null;
    if (!comparison) {
      this.rebuild();
      return;
    }
    const ids = comparison.runs.map((r) => r.id).join('\u0000');
    for (const id of [...this.hidden]) if (!comparison.runs.some((r) => r.id === id)) this.hidden.delete(id);
    const running = comparison.runs.filter((r) => r.status === 'running').length;
    this.title.textContent = `Comparison · ${comparison.runs.length} run${comparison.runs.length === 1 ? '' : 's'}${running > 0 ? ` · ${running} training, updating live` : ''}`;
    this.renderLegend(comparison.runs);
    this.renderTables(comparison);
    const [loss, batch, validation] = this.charts as [CurveChart, CurveChart, CurveChart];
    loss.data = overlay(comparison.runs, (r) => r.steps, (r) => r.loss.map((v) => (v !== null && v > 0 ? v : null)));
    batch.data = overlay(comparison.runs, (r) => r.steps, (r) => r.batchAccuracy.map((v) => (v === null ? null : v * 100)));
    validation.data = overlay(comparison.runs, (r) => r.validationSteps, (r) => r.validationAccuracy.map((v) => (v === null ? null : v * 100)));
    for (const c of this.charts) c.host.setAttribute('aria-label', describe(c, comparison.runs));
    if (ids !== this.builtFor) {
      this.builtFor = ids;
      this.rebuild();
    } else {
      for (const c of this.charts) c.chart?.setData(c.data);
    }
  }

  private renderLegend(runs: ComparedRun[]): void {
    const palette = runPalette();
    this.legend.replaceChildren(...runs.map((run, i) => {
      const swatch = h('span', { class: 'legend-swatch', 'aria-hidden': 'true' });
      swatch.style.backgroundColor = palette[i % palette.length]!;
      const shown = !this.hidden.has(run.id);
      const button = h('button', { class: 'legend-item', type: 'button', 'aria-pressed': shown ? 'true' : 'false', 'data-testid': 'comparison-legend-item', title: shown ? 'Hide this run in the charts' : 'Show this run in the charts' },
        swatch, h('span', { class: 'legend-name' }, run.name), h('span', { class: 'muted' }, ` · ${run.elsewhere ? 'running in another window' : run.status}`));
      button.addEventListener('click', () => {
        if (this.hidden.has(run.id)) this.hidden.delete(run.id);
        else this.hidden.add(run.id);
        button.setAttribute('aria-pressed', this.hidden.has(run.id) ? 'false' : 'true');
        for (const c of this.charts) c.chart?.setSeries(i + 1, { show: !this.hidden.has(run.id) });
      });
      return button;
    }));
  }

  private renderTables(comparison: RunComparison): void {
    const palette = runPalette();
    const head = () => h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), ...comparison.runs.map((run, i) => {
      const swatch = h('span', { class: 'legend-swatch', 'aria-hidden': 'true' });
      swatch.style.backgroundColor = palette[i % palette.length]!;
      return h('th', { scope: 'col' }, swatch, run.name);
    })));
    const differing = new Set(comparison.differing);
    this.configTable.replaceChildren(head(), h('tbody', {}, ...CONFIG_FIELDS.map((field) => h('tr',
      { class: differing.has(field) ? 'differs' : '', 'data-testid': `comparison-config-${field}`, 'data-differs': differing.has(field) ? 'true' : 'false' },
      h('th', { scope: 'row' }, configLabel(field), differing.has(field) ? h('span', { class: 'visually-hidden' }, ' (differs)') : null),
      ...comparison.runs.map((run) => h('td', {}, String(run.config[field]) || '—'))))));
    this.metricsTable.replaceChildren(head(), h('tbody', {}, ...METRICS.map(([label, value]) => h('tr', {},
      h('th', { scope: 'row' }, label), ...comparison.runs.map((run) => h('td', {}, value(run)))))));
  }

  private layout(): void {
    if (!this.comparison) return;
    let theme: ChartTheme | null = null;
    const palette = runPalette();
    for (const c of this.charts) {
      const width = Math.floor(c.host.clientWidth);
      if (width <= 0) continue;
      if (!c.chart) c.chart = new uPlot(options(c, (theme ??= readChartTheme()), palette, this.comparison.runs, this.hidden, width), c.data, c.host);
      else if (c.chart.width !== width) c.chart.setSize({ width, height: PLOT_HEIGHT });
    }
  }

  private rebuild(): void {
    for (const c of this.charts) {
      c.chart?.destroy();
      c.chart = null;
    }
    this.layout();
  }
}

function chart(title: string, testId: string, percentAxis: boolean): CurveChart {
  const host = h('div', { class: 'chart-host', role: 'img' });
  const card = h('figure', { class: 'chart-card comparison-chart', 'data-testid': testId }, h('figcaption', { class: 'card-title' }, title), host);
  return { card, host, chart: null, data: [[]], percent: percentAxis };
}

/** One x column (every run's steps) and one column per run, null where a run has no point. */
function overlay(runs: ComparedRun[], steps: (r: ComparedRun) => number[], values: (r: ComparedRun) => (number | null)[]): uPlot.AlignedData {
  const all = [...new Set(runs.flatMap(steps))].sort((a, b) => a - b);
  const columns = runs.map((run) => {
    const byStep = new Map(steps(run).map((step, i) => [step, values(run)[i] ?? null]));
    return all.map((step) => byStep.get(step) ?? null);
  });
  return [all, ...columns];
}

function describe(c: CurveChart, runs: ComparedRun[]): string {
  const title = c.card.querySelector('figcaption')?.textContent ?? '';
  const parts = runs.map((run, i) => {
    const column = c.data[i + 1] ?? [];
    let last: number | null = null;
    for (let j = column.length - 1; j >= 0 && last === null; j--) last = (column[j] as number | null) ?? null;
    return `${run.name}: ${last === null ? 'no points yet' : c.percent ? `${last.toFixed(2)}%` : last.toPrecision(3)}`;
  });
  return `${title} per step, one line per run. Latest: ${parts.join('; ')}.`;
}

function options(c: CurveChart, theme: ChartTheme, palette: string[], runs: ComparedRun[], hidden: ReadonlySet<string>, width: number): uPlot.Options {
  const format = (v: number | null) => (v === null ? '—' : c.percent ? `${v.toFixed(1)}%` : v.toPrecision(3));
  // All three charts span step 0 to the longest run's last step, so they line up and a lone
  // evaluation point is not drawn in the middle of an axis of its own (uPlot pads a single x
  // value to [0, 2x] before asking, so the last step is read from the data).
  const longest = Math.max(...runs.map((run) => run.config.steps));
  return {
    width, height: PLOT_HEIGHT,
    scales: { x: { time: false, range: (u) => [0, Math.max(u.data[0].at(-1) ?? 0, longest)] }, y: c.percent ? { range: [0, 100] } : LOSS_SCALE },
    axes: axes(theme, c.percent ? { values: (_u, values) => values.map((v) => `${v}%`) } : lossAxis(theme)),
    // The panel's own legend (buttons) names the runs; uPlot's would repeat them per chart.
    legend: { show: false },
    series: [
      { label: 'step' },
      ...runs.map((run, i) => ({
        label: run.name, stroke: palette[i % palette.length]!, width: 1.5, spanGaps: true, show: !hidden.has(run.id),
        points: { show: c.card.dataset.testid === 'comparison-validation', size: 6 }, value: (_u: uPlot, v: number | null) => format(v),
      })),
    ],
  };
}
