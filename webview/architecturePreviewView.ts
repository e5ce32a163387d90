// The architecture file open in the editor, as the panel previews it: its block diagram and
// shapes per stage (parameters and multiply-adds), redrawn as the user types, and its problems.
// While the file has problems the last valid network stays drawn, marked as such. The run's own
// network keeps its card: this one shows the file, which may not be what is training.
import type { ArchitecturePreview } from '../shared/architecturePreview';
import { networkTitle } from '../shared/networkTitle';
import { BlockDiagram } from './blockDiagram';
import { h, scrollRegion } from './dom';
import { ShapeTable } from './shapeTable';

const NO_FINDINGS = new Map();

export class ArchitecturePreviewView {
  private readonly title = h('span', { class: 'card-subtitle', 'data-testid': 'preview-title' });
  private readonly status = h('p', { class: 'preview-status', 'data-testid': 'preview-status', role: 'status' });
  private readonly problems = h('ul', { class: 'preview-problems', 'data-testid': 'preview-problems' });
  private readonly diagram = new BlockDiagram(() => {});
  private readonly shapeTable = new ShapeTable(() => {});
  private readonly drawing = h('div', { class: 'preview-drawing' },
    scrollRegion('Architecture file block diagram', this.diagram.element, 'diagram-scroll'),
    scrollRegion('Architecture file shapes per stage', this.shapeTable.element));
  constructor() {
    // Its own test id: 'diagram' names the run's network, which the panel always shows.
    this.diagram.element.dataset.testid = 'preview-diagram';
  }

  readonly element = h('section', { class: 'card preview-card', 'aria-label': 'Architecture file', 'data-testid': 'architecture-preview', hidden: true },
    h('h2', { class: 'card-title' }, 'Architecture file ', this.title),
    this.status, this.problems, this.drawing);

  update(preview: ArchitecturePreview | null): void {
    this.element.hidden = preview === null;
    if (!preview) return;
    const { report } = preview;
    this.title.textContent = report ? `${preview.file} · ${networkTitle(report.spec, report.figures)}` : preview.file;
    const count = preview.problems.length === 1 ? '1 problem' : `${preview.problems.length} problems`;
    this.status.textContent = !preview.stale ? 'Valid: "Train This Architecture" above the file trains this network.'
      : report ? `${count} (see the Problems view); showing the file's last valid network.` : `${count} (see the Problems view); no valid version of this file yet.`;
    this.status.classList.toggle('has-error', preview.stale);
    this.problems.replaceChildren(...preview.problems.map((p) => h('li', { class: 'mono' }, `${p.line}:${p.column} `, h('span', {}, p.message))));
    this.drawing.hidden = report === null;
    if (report) {
      this.diagram.update(report, null, NO_FINDINGS);
      this.shapeTable.update(report, null, NO_FINDINGS);
    }
  }
}
