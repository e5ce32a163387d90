// The "Errors" card: the confusion matrix of any evaluation so far (a slider steps back through
// them), the images behind a chosen cell, and the validation images the model gets wrong most
// confidently at the latest evaluation. Images come on request, from the run's trainer or (its
// trainer gone) from the predictions stored in its run folder.
import { confusionAccuracy, type ConfusionReport } from '../shared/confusionMatrix';
import { GALLERY_MAX_IMAGES, type GalleryQuery } from '../shared/errorGallery';
import type { EvaluationReport } from '../shared/trainingReports';
import type { SessionSnapshot } from '../shared/webviewProtocol';
import { ConfusionHeatMap, type CellAddress } from './confusionHeatMap';
import { h } from './dom';
import type { GalleryRequests, GalleryState } from './galleryRequests';
import { galleryContent } from './galleryView';
import { formatPercent } from './numberFormat';

/** Thumbnails in the confidently-wrong strip: one row on a wide panel. */
export const CONFIDENTLY_WRONG_IMAGES = 12;

type EvaluationWithConfusion = EvaluationReport & { confusion: ConfusionReport };

const describe = (e: EvaluationReport) => `${e.split} · step ${e.step}`;

export class ErrorsView {
  readonly element: HTMLElement;
  private readonly slider = h('input', { type: 'range', class: 'confusion-slider', min: 0, max: 0, step: 1, value: 0, 'aria-label': 'Evaluation shown', 'data-testid': 'confusion-slider' });
  private readonly sliderLabel = h('span', { class: 'confusion-slider-label', 'data-testid': 'confusion-evaluation' });
  private readonly heatMap = new ConfusionHeatMap((cell) => this.openCell(cell));
  private readonly cellHeading = h('h3', { class: 'errors-heading' }, 'Images of a cell');
  private readonly cellGallery = h('div', { class: 'error-gallery', 'data-testid': 'error-gallery', 'aria-live': 'polite' });
  private readonly wrongHeading = h('h3', { class: 'errors-heading' }, 'Most confidently wrong');
  private readonly wrongStrip = h('div', { class: 'error-gallery', 'data-testid': 'confidently-wrong' });
  private readonly empty = h('p', { class: 'muted', 'data-testid': 'confusion-empty' }, 'The confusion matrix appears at the first validation evaluation.');
  private readonly body: HTMLElement;
  private evaluations: EvaluationWithConfusion[] = [];
  /** The slider's position; null follows the latest evaluation. */
  private chosen: number | null = null;
  private selectedCell: (CellAddress & { split: string; step: number }) | null = null;
  private modelLoaded = false;
  /** Which latest evaluation the strip was last asked for, and whether a trainer held the model then. */
  private wrongAskedFor = '';
  private wrongAskedWithModel = false;
  /** The gallery states last drawn: canvases are redrawn only when an answer changes them. */
  private drawnCell: GalleryState | null = null;
  private drawnWrong: GalleryState | null = null;

  constructor(private readonly requests: GalleryRequests) {
    this.slider.addEventListener('input', () => {
      const index = Number(this.slider.value);
      this.chosen = index === this.evaluations.length - 1 ? null : index;
      this.render();
    });
    this.body = h('div', { class: 'errors-body' },
      h('div', { class: 'confusion-controls' }, this.slider, this.sliderLabel),
      h('div', { class: 'confusion-scroll' }, this.heatMap.element),
      this.cellHeading, this.cellGallery, this.wrongHeading, this.wrongStrip);
    this.element = h('section', { class: 'card errors-card', 'aria-label': 'Errors', 'data-testid': 'errors' },
      h('h2', { class: 'card-title' }, 'Errors'), this.empty, this.body);
  }

  private get shown(): EvaluationWithConfusion | null {
    return this.evaluations[this.chosen ?? this.evaluations.length - 1] ?? null;
  }

  update(snapshot: SessionSnapshot | null): void {
    const evaluations = (snapshot?.evaluations ?? []).filter((e): e is EvaluationWithConfusion => e.confusion !== undefined);
    // A new run's history is shorter than the last one's: go back to following the latest.
    if (this.chosen !== null && this.chosen >= evaluations.length) this.chosen = null;
    this.evaluations = evaluations;
    this.modelLoaded = snapshot?.modelLoaded ?? false;
    this.askForConfidentlyWrong();
    this.render();
  }

  /**
   * The strip follows the latest validation evaluation; ask once per new one, for any run shown
   * (a trainer that has ended leaves the images in the run folder).
   */
  private askForConfidentlyWrong(): void {
    const latest = this.evaluations.filter((e) => e.split === 'validation').at(-1);
    if (!latest) {
      this.wrongAskedFor = '';
      this.requests.clear('confidentlyWrong');
      return;
    }
    // Accuracy tells a new run's evaluation from the last run's at the same step. A refusal
    // ("still loading" while a run resumes) is asked again once a trainer holds the model or lets it go.
    const key = `${latest.step}:${latest.accuracy}`;
    const refusedBefore = this.requests.state('confidentlyWrong').status === 'unavailable' && this.modelLoaded !== this.wrongAskedWithModel;
    if (key === this.wrongAskedFor && !refusedBefore) return;
    this.wrongAskedFor = key;
    this.wrongAskedWithModel = this.modelLoaded;
    this.requests.ask('confidentlyWrong', { split: 'validation', step: latest.step, selection: { kind: 'confidentlyWrong' }, limit: CONFIDENTLY_WRONG_IMAGES });
  }

  private openCell(cell: CellAddress): void {
    const evaluation = this.shown;
    if (!evaluation) return;
    this.selectedCell = { ...cell, split: evaluation.split, step: evaluation.step };
    const query: GalleryQuery = { split: evaluation.split, step: evaluation.step, selection: { kind: 'cell', ...cell }, limit: GALLERY_MAX_IMAGES };
    this.requests.ask('cell', query);
    this.render();
  }

  render(): void {
    const evaluation = this.shown;
    this.empty.hidden = evaluation !== null;
    this.body.hidden = evaluation === null;
    if (!evaluation) return;
    const index = this.chosen ?? this.evaluations.length - 1;
    this.slider.max = String(this.evaluations.length - 1);
    this.slider.value = String(index);
    this.slider.disabled = this.evaluations.length < 2;
    const label = `${describe(evaluation)} · ${formatPercent(confusionAccuracy(evaluation.confusion.matrix), 2)} of ${evaluation.examples.toLocaleString('en-US')}` +
      (this.chosen === null ? ' (latest)' : ` (${index + 1} of ${this.evaluations.length})`);
    this.sliderLabel.textContent = label;
    this.slider.setAttribute('aria-valuetext', label);
    const selected = this.selectedCell && this.selectedCell.split === evaluation.split && this.selectedCell.step === evaluation.step ? this.selectedCell : null;
    this.heatMap.update(evaluation.confusion, selected);
    this.renderCellGallery();
    this.renderConfidentlyWrong();
  }

  private renderConfidentlyWrong(): void {
    const state = this.requests.state('confidentlyWrong');
    if (state === this.drawnWrong) return;
    this.drawnWrong = state;
    const wrong = this.requests.query('confidentlyWrong');
    this.wrongHeading.textContent = wrong ? `Most confidently wrong · validation at step ${wrong.step}` : 'Most confidently wrong';
    this.wrongStrip.replaceChildren(galleryContent(state, wrong ? 'No validation image is wrong.' : 'The strip appears at the first validation evaluation.'));
  }

  private renderCellGallery(): void {
    const state = this.requests.state('cell');
    if (state === this.drawnCell) return;
    this.drawnCell = state;
    const query = this.requests.query('cell');
    if (!query || query.selection.kind !== 'cell') {
      this.cellHeading.textContent = 'Images of a cell';
      this.cellGallery.replaceChildren(galleryContent(state, 'Click a cell (or select it and press Enter) to see its images.'));
      return;
    }
    const { trueDigit, predictedDigit } = query.selection;
    const total = state.status === 'ready' ? state.gallery.matches : null;
    const shown = state.status === 'ready' ? state.gallery.indices.length : 0;
    this.cellHeading.textContent = `True ${trueDigit}, predicted ${predictedDigit} · ${query.split} at step ${query.step}` +
      (total === null ? '' : ` · ${total === shown ? total : `${shown} most confident of ${total}`} image${total === 1 ? '' : 's'}`);
    this.cellGallery.replaceChildren(galleryContent(state, 'No images in this cell.'));
  }
}
