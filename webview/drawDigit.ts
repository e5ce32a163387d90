// Draw a digit: a drawing surface for mouse, pen and touch (pointer events), with undo and
// clear; the drawing preprocessed the way MNIST digits were (shared/digitPreprocessing), shown as
// the network sees it, and the current weights' ten probabilities as bars.
import { encodeBase64 } from '../shared/base64Bytes';
import { DIGIT_SIZE, preprocessDrawing, quantiseDigit } from '../shared/digitPreprocessing';
import type { DigitPrediction } from '../shared/insideViews';
import { custom, h } from './dom';
import { paintGrey } from './digitImages';

/** The drawing surface's bitmap: ten source pixels per MNIST pixel. */
const SURFACE = 280;
/** A pen about as wide, after fitting into 20×20, as an MNIST stroke (2–3 pixels). */
const PEN_WIDTH = 22;

type Stroke = { x: number; y: number }[];

export class DrawDigit {
  readonly element: HTMLElement;
  private readonly surface = h('canvas', { class: 'draw-surface', width: SURFACE, height: SURFACE, tabindex: 0, 'aria-label': 'Drawing area: draw a digit with the mouse, a pen or a finger', 'data-testid': 'draw-surface' });
  private readonly preview = h('canvas', { class: 'digit-preview', width: DIGIT_SIZE, height: DIGIT_SIZE, 'aria-label': 'The digit as the network sees it, 28×28', 'data-testid': 'draw-preview' });
  private readonly bars = h('ol', { class: 'prediction-bars', 'data-testid': 'prediction-bars', 'aria-label': 'Predicted probability of each digit' });
  private readonly status = h('p', { class: 'muted draw-status', 'data-testid': 'prediction-status', 'aria-live': 'polite' }, 'Draw a digit to see what the network says.');
  private readonly strokes: Stroke[] = [];
  private drawing: Stroke | null = null;
  private frame = 0;
  /** The preprocessed digit as base64 bytes, or null while nothing is drawn. */
  private pixels: string | null = null;

  constructor(private readonly changed: (pixels: string | null) => void) {
    const undo = custom('vscode-button', { secondary: true, icon: 'discard', 'data-testid': 'draw-undo' }, 'Undo');
    const clear = custom('vscode-button', { secondary: true, icon: 'clear-all', 'data-testid': 'draw-clear' }, 'Clear');
    undo.addEventListener('click', () => this.undo());
    clear.addEventListener('click', () => this.clear());
    this.surface.addEventListener('keydown', (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key === 'z') { event.preventDefault(); this.undo(); }
      if (event.key === 'Delete' || event.key === 'Backspace') { event.preventDefault(); this.clear(); }
    });
    this.listen();
    this.element = h('section', { class: 'card draw-card', 'aria-label': 'Draw a digit', 'data-testid': 'draw-digit' },
      h('h2', { class: 'card-title' }, 'Draw a digit'),
      h('div', { class: 'draw-layout' },
        h('div', { class: 'draw-column' }, this.surface, h('div', { class: 'draw-actions' }, undo, clear)),
        h('figure', { class: 'draw-column preview-figure' }, this.preview, h('figcaption', { class: 'muted' }, 'as the network sees it (28×28)')),
        h('div', { class: 'draw-column prediction-column' }, this.bars, this.status)));
    this.renderBars(null);
  }

  get currentPixels(): string | null {
    return this.pixels;
  }

  private listen(): void {
    const point = (event: PointerEvent) => {
      const rect = this.surface.getBoundingClientRect();
      return { x: ((event.clientX - rect.left) / rect.width) * SURFACE, y: ((event.clientY - rect.top) / rect.height) * SURFACE };
    };
    this.surface.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      this.surface.setPointerCapture(event.pointerId);
      this.drawing = [point(event)];
      this.strokes.push(this.drawing);
      this.scheduleUpdate();
    });
    this.surface.addEventListener('pointermove', (event) => {
      if (!this.drawing) return;
      // A pen or a fast mouse reports more points than events; take them all for a smooth line.
      const events = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
      for (const e of events.length > 0 ? events : [event]) this.drawing.push(point(e));
      this.scheduleUpdate();
    });
    const end = () => {
      if (!this.drawing) return;
      this.drawing = null;
      this.scheduleUpdate();
    };
    this.surface.addEventListener('pointerup', end);
    this.surface.addEventListener('pointercancel', end);
  }

  private undo(): void {
    this.strokes.pop();
    this.scheduleUpdate();
  }

  private clear(): void {
    this.strokes.length = 0;
    this.scheduleUpdate();
  }

  /** Once per frame however many pointer events arrive. */
  private scheduleUpdate(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.update();
    });
  }

  private update(): void {
    const context = this.surface.getContext('2d', { willReadFrequently: true })!;
    context.clearRect(0, 0, SURFACE, SURFACE);
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.lineWidth = PEN_WIDTH;
    context.strokeStyle = context.fillStyle = '#fff';
    for (const stroke of this.strokes) {
      context.beginPath();
      context.moveTo(stroke[0]!.x, stroke[0]!.y);
      // A single tap is a dot.
      for (const p of stroke.length > 1 ? stroke.slice(1) : [{ x: stroke[0]!.x + 0.01, y: stroke[0]!.y }]) context.lineTo(p.x, p.y);
      context.stroke();
    }
    const rgba = context.getImageData(0, 0, SURFACE, SURFACE).data;
    const ink = new Float32Array(SURFACE * SURFACE);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[i * 4 + 3]! / 255;
    const digit = preprocessDrawing({ width: SURFACE, height: SURFACE, ink });
    const bytes = digit ? quantiseDigit(digit) : new Uint8Array(DIGIT_SIZE * DIGIT_SIZE);
    paintGrey(this.preview, bytes, DIGIT_SIZE, DIGIT_SIZE);
    const pixels = digit ? encodeBase64(bytes) : null;
    if (pixels === this.pixels) return;
    this.pixels = pixels;
    if (!pixels) {
      this.renderBars(null);
      this.status.textContent = 'Draw a digit to see what the network says.';
    }
    this.changed(pixels);
  }

  showPrediction(prediction: DigitPrediction): void {
    if (!this.pixels) return; // an answer for a drawing since cleared
    this.renderBars(prediction.probabilities);
    const best = prediction.probabilities.indexOf(Math.max(...prediction.probabilities));
    this.status.textContent = `Says ${best} (${(prediction.probabilities[best]! * 100).toFixed(1)} %) with the weights of step ${prediction.step}.`;
  }

  showUnavailable(reason: string): void {
    this.status.textContent = reason;
  }

  private renderBars(probabilities: readonly number[] | null): void {
    const best = probabilities ? probabilities.indexOf(Math.max(...probabilities)) : -1;
    this.bars.replaceChildren(...Array.from({ length: 10 }, (_, digit) => {
      const p = probabilities?.[digit] ?? 0;
      const fill = h('span', { class: 'bar-fill' });
      fill.style.width = `${(p * 100).toFixed(2)}%`;
      return h('li', { class: `prediction-bar${digit === best ? ' best' : ''}`, 'data-testid': 'prediction-bar', 'data-digit': digit, 'data-probability': probabilities ? p : null },
        h('span', { class: 'bar-digit mono' }, digit),
        h('span', { class: 'bar-track' }, fill),
        h('span', { class: 'bar-value mono' }, probabilities ? `${(p * 100).toFixed(1)}%` : '–'));
    }));
  }
}
