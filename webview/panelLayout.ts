// Where each view sits: the run header, the New Run form and the charts across the top, then the block diagram
// beside the inspector and the shape table, then the errors and Draw a digit. CSS stacks everything when the panel is narrow.
import { h, scrollRegion } from './dom';

export interface PanelViews {
  header: HTMLElement;
  /** The New Run form, under the header. */
  newRun: HTMLElement;
  /** Runs side by side (Compare in the Runs view), above the current run's charts; hidden when closed. */
  comparison: HTMLElement;
  charts: HTMLElement;
  diagram: HTMLElement;
  inspector: HTMLElement;
  shapeTable: HTMLElement;
  /** The confusion matrix and error gallery, below the workspace. */
  errors: HTMLElement;
  /** Draw a digit and its live prediction, below the errors. */
  drawDigit: HTMLElement;
  /** The architecture file open in the editor, above the run's network. */
  preview: HTMLElement;
}

export class PanelLayout {
  readonly element: HTMLElement;
  private readonly architectureName = h('span', { class: 'card-subtitle', 'data-testid': 'network-title' });

  constructor(views: PanelViews) {
    this.element = h('main', { class: 'panel' },
      views.header,
      views.newRun,
      views.comparison,
      views.charts,
      views.preview,
      h('div', { class: 'workspace' },
        h('section', { class: 'card architecture-card', 'aria-label': 'Architecture' },
          h('h2', { class: 'card-title' }, 'Architecture ', this.architectureName),
          scrollRegion('Block diagram', views.diagram, 'diagram-scroll')),
        h('div', { class: 'details-column' },
          views.inspector,
          h('section', { class: 'card shapes-card', 'aria-label': 'Shapes per stage' },
            h('h2', { class: 'card-title' }, 'Shapes per stage'), scrollRegion('Shapes per stage table', views.shapeTable)))),
      views.errors,
      views.drawDigit);
  }

  /** The network's name, e.g. "Bottleneck ResNet · 3 residual blocks · 13.1 M parameters". */
  showArchitecture(title: string): void {
    this.architectureName.textContent = title;
  }
}
