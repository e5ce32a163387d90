// Shapes per stage: output shape, parameters and multiply-adds of every block, with the totals
// (13,071,562 parameters and 54.65 M multiply-adds for the seed network). Rows select blocks too:
// the table is an ARIA grid whose rows are one Tab stop, moved with the arrow keys and selected
// with Enter or Space, like the diagram's boxes.
import { formatShape } from '../shared/modelFigures';
import type { ArchitectureReport } from '../shared/trainingReports';
import { worstSeverity, type FindingsByBlock } from './blockFindings';
import { shortTitle } from './blockTitles';
import { architectureKey } from '../shared/displayedArchitecture';
import { h } from './dom';
import { formatCount, formatMacs } from './numberFormat';
import { moveRovingFocus, setTabStop } from './rovingFocus';

export class ShapeTable {
  readonly element = h('table', { class: 'data-table shape-table', role: 'grid', 'aria-readonly': 'true', 'data-testid': 'shape-table' });
  private rows = new Map<string, HTMLTableRowElement>();
  private key = '';

  constructor(private readonly onSelect: (blockId: string) => void) {
    this.element.addEventListener('keydown', (event) => this.onKey(event));
  }

  private onKey(event: KeyboardEvent): void {
    const row = (event.target as HTMLElement).closest<HTMLTableRowElement>('tbody tr[data-block-id]');
    if (!row) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.onSelect(row.dataset.blockId!);
      return;
    }
    moveRovingFocus(event, [...this.rows.values()]);
  }

  update(report: ArchitectureReport, selectedId: string | null, findings: FindingsByBlock): void {
    const key = architectureKey(report);
    if (key !== this.key) this.rebuild(report, key);
    for (const [id, row] of this.rows) {
      row.classList.toggle('selected', id === selectedId);
      row.setAttribute('aria-selected', String(id === selectedId));
      const severity = worstSeverity(findings.get(id));
      row.classList.toggle('has-error', severity === 'error');
      row.classList.toggle('has-warning', severity === 'warning');
      const icon = row.querySelector('.severity-icon');
      if (icon) showSeverity(icon, severity);
    }
    setTabStop(this.rows.values(), selectedId === null ? undefined : this.rows.get(selectedId));
  }

  private rebuild(report: ArchitectureReport, key: string): void {
    this.key = key;
    this.rows.clear();
    const { figures } = report;
    const body = h('tbody');
    report.spec.blocks.forEach((block, i) => {
      const f = figures.blocks[i];
      if (!f) return;
      const share = figures.totalParams > 0 ? f.params / figures.totalParams : 0;
      const row = h('tr', { 'data-block-id': block.id, 'data-testid': `shape-row-${block.id}` },
        h('td', {}, h('span', { class: 'severity-icon' }), h('span', { class: 'stage-id' }, block.id), ' ', h('span', { class: 'muted stage-title' }, shortTitle(block))),
        h('td', { class: 'mono' }, formatShape(f.outputShape)),
        numberCell(f.params === 0 ? '—' : formatCount(f.params), f.params === 0),
        numberCell(share >= 0.0005 ? `${(share * 100).toFixed(1)}%` : '—', share < 0.0005),
        numberCell(f.macs === 0 ? '—' : formatMacs(f.macs), f.macs === 0),
      );
      row.addEventListener('click', () => this.onSelect(block.id));
      this.rows.set(block.id, row);
      body.append(row);
    });
    this.element.replaceChildren(
      h('caption', { class: 'visually-hidden' }, 'Output shape, parameters and multiply-adds per stage; arrow keys move between rows, Enter selects a stage'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Stage'), h('th', { scope: 'col' }, 'Output'), h('th', { scope: 'col', class: 'num' }, 'Parameters'),
        h('th', { scope: 'col', class: 'num' }, 'Share'), h('th', { scope: 'col', class: 'num', title: 'multiply-adds per image, forward pass' }, 'Multiply-adds'))),
      body,
      h('tfoot', {}, h('tr', { 'data-testid': 'shape-totals' },
        h('th', { scope: 'row' }, 'Total'), h('td', {}),
        h('td', { class: 'num', 'data-testid': 'total-params' }, formatCount(figures.totalParams)),
        h('td', { class: 'num' }, '100%'),
        h('td', { class: 'num', 'data-testid': 'total-macs' }, formatMacs(figures.totalMacs)))),
    );
  }
}

/** The icon is read as a word ("warning") before the stage's name; without a finding it is nothing. */
function showSeverity(icon: Element, severity: ReturnType<typeof worstSeverity>): void {
  icon.className = severity ? `severity-icon codicon codicon-${severity}` : 'severity-icon';
  if (severity) {
    icon.setAttribute('role', 'img');
    icon.setAttribute('aria-label', severity);
  } else {
    icon.removeAttribute('role');
    icon.removeAttribute('aria-label');
  }
}

function numberCell(text: string, muted: boolean): HTMLTableCellElement {
  return h('td', { class: muted ? 'num muted' : 'num' }, text);
}
