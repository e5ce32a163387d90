// Live training curves with uPlot: loss per step, and accuracy per step with the batch accuracy
// as a line and validation/test evaluations as points. Data is replaced in place (setData) on
// every snapshot; the charts follow the panel's width and the theme's colours.
import uPlot from 'uplot';
import type { SessionSnapshot } from '../shared/webviewProtocol';
import { accuracyData, lossData } from './chartData';
import { readChartTheme, watchTheme, type ChartTheme } from './chartTheme';
import { h } from './dom';

const PLOT_HEIGHT = 180;

interface ChartSlot {
  card: HTMLElement;
  host: HTMLElement;
  empty: HTMLElement;
  chart: uPlot | null;
  data: uPlot.AlignedData;
  options: (theme: ChartTheme, width: number) => uPlot.Options;
}

export class TrainingCharts {
  readonly element = h('section', { class: 'charts', 'aria-label': 'Training curves' });
  private readonly slots: ChartSlot[];

  constructor() {
    this.slots = [
      slot('Training loss', 'chart-loss', [[], []], lossOptions),
      slot('Accuracy', 'chart-accuracy', [[], [], [], []], accuracyOptions),
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
    for (const s of this.slots) {
      s.empty.hidden = s.data[0].length > 0;
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

function slot(title: string, testId: string, data: uPlot.AlignedData, options: ChartSlot['options']): ChartSlot {
  const host = h('div', { class: 'chart-host' });
  const empty = h('p', { class: 'chart-empty muted' }, 'Waiting for the first training steps…');
  const card = h('figure', { class: 'card chart-card', 'data-testid': testId }, h('figcaption', { class: 'card-title' }, title), host, empty);
  return { card, host, empty, chart: null, data, options };
}

function axes(theme: ChartTheme, y: Partial<uPlot.Axis> = {}): uPlot.Axis[] {
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

function lossOptions(theme: ChartTheme, width: number): uPlot.Options {
  return {
    width, height: PLOT_HEIGHT,
    // Log scale: the first steps' loss can be 10-50× the later one, which would flatten the curve.
    scales: { x: { time: false }, y: { distr: 3, log: 10 } },
    axes: axes(theme, { filter: roundLogTicks, grid: { stroke: theme.grid, width: 1, filter: roundLogTicks }, ticks: { stroke: theme.grid, width: 1, size: 4, filter: roundLogTicks } }),
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
