// Where each view sits: the run header and the charts across the top, then the block diagram
// beside the inspector and the shape table. CSS stacks everything when the panel is narrow.
import { h } from './dom';

export interface PanelViews {
  header: HTMLElement;
  charts: HTMLElement;
  diagram: HTMLElement;
  inspector: HTMLElement;
  shapeTable: HTMLElement;
  /** The confusion matrix and error gallery, below the workspace. */
  errors: HTMLElement;
}

export class PanelLayout {
  readonly element: HTMLElement;
  private readonly architectureName = h('span', { class: 'card-subtitle' });
  private readonly specNote = h('p', { class: 'spec-note muted', hidden: true },
    'Drawn from the architecture spec; the trainer confirms it when training starts.');

  constructor(views: PanelViews) {
    this.element = h('main', { class: 'panel' },
      views.header,
      views.charts,
      h('div', { class: 'workspace' },
        h('section', { class: 'card architecture-card', 'aria-label': 'Architecture' },
          h('h2', { class: 'card-title' }, 'Architecture ', this.architectureName), this.specNote,
          h('div', { class: 'diagram-scroll' }, views.diagram)),
        h('div', { class: 'details-column' },
          views.inspector,
          h('section', { class: 'card shapes-card', 'aria-label': 'Shapes per stage' },
            h('h2', { class: 'card-title' }, 'Shapes per stage'), h('div', { class: 'table-scroll' }, views.shapeTable)))),
      views.errors);
  }

  showArchitecture(name: string, reportedByTrainer: boolean): void {
    this.architectureName.textContent = name;
    this.specNote.hidden = reportedByTrainer;
  }
}
