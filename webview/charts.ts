// Live training curves with uPlot: loss per step, and accuracy per step with the batch accuracy
// as a line and validation/test evaluations as points. Data is replaced in place (setData) on
// every snapshot; the charts follow the panel's width and the theme's colours.
import uPlot from 'uplot';
import type { SessionSnapshot } from '../shared/webviewProtocol';
import { latestEvaluation } from './blockFindings';
import { accuracyData, lossData } from './chartData';
import { readChartTheme, watchTheme, type ChartTheme } from './chartTheme';
import { h } from './dom';
import { formatPercent } from './numberFormat';

const PLOT_HEIGHT = 180;

interface ChartSlot {
  card: HTMLElement;
  host: HTMLElement;
  empty: HTMLElement;
  chart: uPlot | null;
  data: uPlot.AlignedData;
  options: (theme: ChartTheme, width: number) => uPlot.Options;
  /** What a screen reader hears instead of the canvas: the newest values, in words. */
  describe: (snapshot: SessionSnapshot | null) => string;
}

export class TrainingCharts {
  readonly element = h('section', { class: 'charts', 'aria-label': 'Training curves' });
  private readonly slots: ChartSlot[];

  constructor() {
    this.slots = [
      slot('Training loss', 'chart-loss', [[], []], lossOptions, describeLoss),
      slot('Accuracy', 'chart-accuracy', [[], [], [], []], accuracyOptions, describeAccuracy),
    ];
    this.element.append(...this.slots.map((s) => s.card));
    const resize = new ResizeObserver(() => this.layout());
    for (const s of this.slots) resize.observe(s.host);
    watchTheme(() => this.rebuild());
  }

  update(snapshot: SessionSnapshot | null): void {
    const [loss, accuracy] = this.slots as [ChartSlot, ChartSlot];
    loss.data = lossData(snapshot?.progress ?? []);
    accuracy.data = accuracyData(snapshot?.progress ?? [], snapshot?.evaluations ?? []);
    const state = snapshot?.state ?? 'idle';
    for (const s of this.slots) {
      s.empty.hidden = s.data[0].length > 0;
      s.empty.textContent = state === 'running' || state === 'starting' ? 'Waiting for the first training steps…'
        : state === 'idle' ? 'No run yet: the curves appear once training starts.' : 'No training steps were recorded.';
      s.host.setAttribute('aria-label', s.describe(snapshot));
      s.host.classList.toggle('is-empty', s.data[0].length === 0);
      s.chart?.setData(s.data);
    }
    this.layout();
  }

  /** Creates charts once their box has a width, and keeps them as wide as their box. */
  private layout(): void {
    let theme: ChartTheme | null = null;
    for (const s of this.slots) {
      const width = Math.floor(s.host.clientWidth);
      if (width <= 0) continue;
      if (!s.chart) s.chart = new uPlot(s.options((theme ??= readChartTheme()), width), s.data, s.host);
      else if (s.chart.width !== width) s.chart.setSize({ width, height: PLOT_HEIGHT });
    }
  }

  private rebuild(): void {
    for (const s of this.slots) {
      s.chart?.destroy();
      s.chart = null;
    }
    this.layout();
  }
}

function slot(title: string, testId: string, data: uPlot.AlignedData, options: ChartSlot['options'], describe: ChartSlot['describe']): ChartSlot {
  // The canvas and its legend are one image to assistive technology, named by describe().
  const host = h('div', { class: 'chart-host', role: 'img' });
  const empty = h('p', { class: 'chart-empty muted', 'aria-hidden': 'true' });
  const card = h('figure', { class: 'card chart-card', 'data-testid': testId }, h('figcaption', { class: 'card-title' }, title), host, empty);
  return { card, host, empty, chart: null, data, options, describe };
}

function describeLoss(snapshot: SessionSnapshot | null): string {
  const last = snapshot?.progress.at(-1);
  if (!last) return 'Training loss per step: no steps yet.';
  return `Training loss per step, log scale: ${snapshot!.progress.length} points; latest ${last.loss.toPrecision(3)} at step ${last.step}.`;
}

function describeAccuracy(snapshot: SessionSnapshot | null): string {
  const last = snapshot?.progress.at(-1);
  if (!snapshot || !last) return 'Accuracy per step: no steps yet.';
  const parts = [`Accuracy per step: batch accuracy ${formatPercent(last.batchAccuracy, 1)} at step ${last.step}`];
  for (const split of ['validation', 'test'] as const) {
    const evaluation = latestEvaluation(snapshot.evaluations, split);
    if (evaluation) parts.push(`${split} ${formatPercent(evaluation.accuracy)} at step ${evaluation.step}`);
  }
  return `${parts.join('; ')}.`;
}

/** Both axes in the theme's colours and font; `y` adds to the value axis (scale labels, tick filters). */
export function axes(theme: ChartTheme, y: Partial<uPlot.Axis> = {}): uPlot.Axis[] {
  const common = { stroke: theme.foreground, font: theme.font, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1, size: 4 } };
  return [{ ...common, size: 32 }, { ...common, size: 46, ...y }];
}

/** The series' newest value: what the legend shows while the cursor is off the chart. */
function latest(u: uPlot, seriesIndex: number): number | null {
  const column = u.data[seriesIndex] ?? [];
  for (let i = column.length - 1; i >= 0; i--) {
    const value = column[i];
    if (typeof value === 'number') return value;
  }
  return null;
}

/** A legend value: at the cursor when hovering, otherwise the newest point. */
function legendValue(format: (v: number) => string): uPlot.Series.Value {
  return (u, value, seriesIndex, index) => {
    const shown = index === null ? latest(u, seriesIndex) : value;
    return shown === null ? '—' : format(shown);
  };
}

/** On the log axis, grid lines only at 1, 2 and 5 × 10^k; the other minor lines are noise. */
function roundLogTicks(_u: uPlot, splits: number[]): (number | null)[] {
  return splits.map((v) => {
    const mantissa = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
    return [1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6) ? v : null;
  });
}

/** A loss axis: log scale, since the first steps' loss can be 10-50× the later one, which would flatten the curve. */
export const LOSS_SCALE: uPlot.Scale = { distr: 3, log: 10 };

/** The loss axis's labels, ticks and grid lines, only at round values (roundLogTicks). */
export function lossAxis(theme: ChartTheme): Partial<uPlot.Axis> {
  return { filter: roundLogTicks, grid: { stroke: theme.grid, width: 1, filter: roundLogTicks }, ticks: { stroke: theme.grid, width: 1, size: 4, filter: roundLogTicks } };
}

function lossOptions(theme: ChartTheme, width: number): uPlot.Options {
  return {
    width, height: PLOT_HEIGHT,
    scales: { x: { time: false }, y: LOSS_SCALE },
    axes: axes(theme, lossAxis(theme)),
    legend: { live: true },
    series: [
      { label: 'step' },
      { label: 'loss', stroke: theme.loss, width: 1.5, spanGaps: true, value: legendValue((v) => v.toPrecision(3)) },
    ],
  };
}

function accuracyOptions(theme: ChartTheme, width: number): uPlot.Options {
  const percent = legendValue((v) => `${v.toFixed(1)}%`);
  // Evaluations are a few points far apart: drawn as dots only, never joined into a line.
  const points = (color: string): uPlot.Series => ({ stroke: color, fill: color, width: 0, paths: () => null, points: { show: true, size: 8, width: 1, stroke: color, fill: color }, value: percent });
  return {
    width, height: PLOT_HEIGHT,
    scales: { x: { time: false }, y: { range: [0, 100] } },
    axes: axes(theme, { values: (_u, values) => values.map((v) => `${v}%`) }),
    legend: { live: true },
    series: [
      { label: 'step' },
      { label: 'batch', stroke: theme.batch, width: 1.5, spanGaps: true, value: percent },
      { label: 'validation', ...points(theme.validation) },
      { label: 'test', ...points(theme.test) },
    ],
  };
}
