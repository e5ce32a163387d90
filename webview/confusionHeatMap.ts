// The 10×10 confusion matrix as a heat map: rows are true digits, columns predicted ones. Right
// answers shade in the theme's green, mistakes in its red, each by its share of the true digit's
// images (mistakes on a square-root scale, so a handful still shows). It is an ARIA grid: arrow
// keys, Home/End and Page Up/Down move between cells, Enter or Space opens the cell's images.
// The cells are built once and updated in place, so focus survives every snapshot.
import { DIGIT_CLASSES, type ConfusionReport } from '../shared/confusionMatrix';
import { h } from './dom';
import { formatCount, formatPercent } from './numberFormat';

export interface CellAddress {
  trueDigit: number;
  predictedDigit: number;
}

const DIGITS = Array.from({ length: DIGIT_CLASSES }, (_, d) => d);

export class ConfusionHeatMap {
  readonly element: HTMLTableElement;
  private readonly cells: HTMLTableCellElement[][];
  private readonly rowAccuracy: HTMLTableCellElement[];
  private focused: CellAddress = { trueDigit: 0, predictedDigit: 0 };

  constructor(private readonly open: (cell: CellAddress) => void) {
    this.cells = DIGITS.map((trueDigit) => DIGITS.map((predictedDigit) =>
      h('td', { class: 'confusion-cell', role: 'gridcell', tabindex: trueDigit === 0 && predictedDigit === 0 ? 0 : -1, 'data-testid': `confusion-cell-${trueDigit}-${predictedDigit}` })));
    this.rowAccuracy = DIGITS.map(() => h('td', { class: 'confusion-row-accuracy', role: 'gridcell' }));
    this.element = h('table', { class: 'confusion-grid', role: 'grid', 'aria-label': 'Confusion matrix: rows are true digits, columns predicted digits', 'data-testid': 'confusion-matrix' },
      h('thead', {}, h('tr', {},
        h('th', { class: 'confusion-corner', scope: 'col' }, 'true ╲ predicted'),
        ...DIGITS.map((d) => h('th', { scope: 'col', 'aria-label': `predicted ${d}` }, String(d))),
        h('th', { scope: 'col', class: 'confusion-row-accuracy' }, 'accuracy'))),
      h('tbody', {}, ...DIGITS.map((d) => h('tr', {},
        h('th', { scope: 'row', 'aria-label': `true ${d}` }, String(d)), ...this.cells[d]!, this.rowAccuracy[d]!))));
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.element.addEventListener('click', (event) => {
      const address = this.addressOf(event.target);
      if (address) this.openCell(address);
    });
  }

  update(report: ConfusionReport | null, selected: CellAddress | null): void {
    DIGITS.forEach((trueDigit) => {
      const row = report?.matrix[trueDigit] ?? [];
      const rowTotal = row.reduce((a, b) => a + b, 0);
      DIGITS.forEach((predictedDigit) => {
        const cell = this.cells[trueDigit]![predictedDigit]!;
        const count = row[predictedDigit] ?? 0;
        const share = rowTotal > 0 ? count / rowTotal : 0;
        const correct = trueDigit === predictedDigit;
        cell.className = `confusion-cell ${correct ? 'correct' : 'wrong'}`;
        cell.style.setProperty('--heat', String(correct ? share : Math.sqrt(share)));
        cell.textContent = report && count > 0 ? formatCount(count) : '';
        const description = report
          ? `true ${trueDigit}, predicted ${predictedDigit}: ${formatCount(count)} image${count === 1 ? '' : 's'} (${formatPercent(share, 1)} of the ${trueDigit}s)`
          : `true ${trueDigit}, predicted ${predictedDigit}: no evaluation yet`;
        cell.title = description;
        cell.setAttribute('aria-label', description);
        cell.setAttribute('aria-selected', String(selected?.trueDigit === trueDigit && selected.predictedDigit === predictedDigit));
      });
      const accuracy = report?.perClassAccuracy[trueDigit];
      this.rowAccuracy[trueDigit]!.textContent = accuracy === null || accuracy === undefined ? '—' : formatPercent(accuracy, 1);
    });
  }

  private addressOf(target: EventTarget | null): CellAddress | null {
    for (const trueDigit of DIGITS) {
      const predictedDigit = this.cells[trueDigit]!.findIndex((cell) => cell === target || cell.contains(target as Node));
      if (predictedDigit >= 0) return { trueDigit, predictedDigit };
    }
    return null;
  }

  private openCell(address: CellAddress): void {
    this.moveFocus(address);
    this.open(address);
  }

  private moveFocus(address: CellAddress): void {
    this.cells[this.focused.trueDigit]![this.focused.predictedDigit]!.tabIndex = -1;
    this.focused = address;
    const cell = this.cells[address.trueDigit]![address.predictedDigit]!;
    cell.tabIndex = 0;
    cell.focus();
  }

  private onKey(event: KeyboardEvent): void {
    const at = this.addressOf(event.target);
    if (!at) return;
    const last = DIGIT_CLASSES - 1;
    const clamp = (n: number) => Math.min(last, Math.max(0, n));
    const moves: Record<string, CellAddress> = {
      ArrowUp: { ...at, trueDigit: clamp(at.trueDigit - 1) },
      ArrowDown: { ...at, trueDigit: clamp(at.trueDigit + 1) },
      ArrowLeft: { ...at, predictedDigit: clamp(at.predictedDigit - 1) },
      ArrowRight: { ...at, predictedDigit: clamp(at.predictedDigit + 1) },
      Home: { ...at, predictedDigit: 0 },
      End: { ...at, predictedDigit: last },
      PageUp: { ...at, trueDigit: 0 },
      PageDown: { ...at, trueDigit: last },
    };
    if (event.key === 'Enter' || event.key === ' ') this.openCell(at);
    else if (moves[event.key]) this.moveFocus(moves[event.key]!);
    else return;
    event.preventDefault();
  }
}
