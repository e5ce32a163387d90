// Feature maps in the inspector: a strip of probe images (one validation digit per class, plus
// the drawn digit) and, for the chosen one, each layer of the selected block as a grid of small
// heat maps, strongest channel first, dead channels marked.
import { decodeBase64 } from '../shared/base64Bytes';
import { DIGIT_CLASSES } from '../shared/confusionMatrix';
import type { FeatureMapLayer, FeatureMapsReport, ProbeChoice, ProbeDigits } from '../shared/insideViews';
import { DIGIT_PIXELS, DIGIT_SIZE } from '../shared/digitPreprocessing';
import { h } from './dom';
import { paintGrey, paintHeat } from './digitImages';

type Chosen = { kind: 'probe'; digit: number } | { kind: 'drawn' };

export class FeatureMapsView {
  readonly element = h('section', { class: 'inspector-section feature-maps', 'data-testid': 'feature-maps', 'aria-label': 'Feature maps' });
  private readonly strip = h('div', { class: 'probe-strip', role: 'radiogroup', 'aria-label': 'Image to show feature maps for' });
  private readonly caption = h('span', { class: 'section-caption', 'data-testid': 'feature-maps-caption' });
  private readonly grids = h('div', { class: 'feature-grids' });
  private probes: Uint8Array | null = null;
  private drawn: string | null = null;
  private chosen: Chosen = { kind: 'probe', digit: 0 };
  private blockId: string | null = null;
  private shownLayout = '';

  constructor(private readonly request: (blockId: string, probe: ProbeChoice) => void) {
    this.element.append(h('div', { class: 'section-heading' }, h('h3', {}, 'Feature maps'), this.caption), this.strip, this.grids);
    // A radio group: one tab stop, arrow keys move the choice.
    this.strip.addEventListener('keydown', (event) => {
      const step = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 0;
      if (step === 0) return;
      event.preventDefault();
      const choices: Chosen[] = [...Array.from({ length: DIGIT_CLASSES }, (_, digit) => ({ kind: 'probe' as const, digit })), ...(this.drawn ? [{ kind: 'drawn' as const }] : [])];
      const at = choices.findIndex((c) => JSON.stringify(c) === JSON.stringify(this.chosen));
      this.choose(choices[(at + step + choices.length) % choices.length]!);
      this.strip.querySelector<HTMLElement>('.probe.selected')?.focus();
    });
    this.renderStrip();
  }

  /** The inspector's block; null hides nothing but asks for nothing. */
  setBlock(blockId: string | null): void {
    if (blockId === this.blockId) return;
    this.blockId = blockId;
    this.clearMaps(blockId ? 'Loading…' : '');
    this.refresh();
  }

  setProbes(probes: ProbeDigits): void {
    const images = decodeBase64(probes.images);
    if (!images || images.length !== DIGIT_CLASSES * DIGIT_PIXELS) return;
    this.probes = images;
    this.renderStrip();
  }

  /** The drawn digit joins the strip (and leaves it when cleared). */
  setDrawn(pixels: string | null): void {
    this.drawn = pixels;
    if (!pixels && this.chosen.kind === 'drawn') this.chosen = { kind: 'probe', digit: 0 };
    this.renderStrip();
    if (this.chosen.kind === 'drawn') this.refresh();
  }

  /** Asks for the maps of the current block and image (the caller paces this). */
  refresh(): void {
    const probe = this.choice();
    if (this.blockId && probe) this.request(this.blockId, probe);
  }

  get wanted(): boolean {
    return this.blockId !== null;
  }

  private choice(): ProbeChoice | null {
    if (this.chosen.kind === 'probe') return this.chosen;
    return this.drawn ? { kind: 'drawn', pixels: this.drawn } : null;
  }

  private choose(chosen: Chosen): void {
    this.chosen = chosen;
    this.renderStrip();
    this.clearMaps('Loading…');
    this.refresh();
  }

  private renderStrip(): void {
    const items: HTMLElement[] = [];
    for (let digit = 0; digit < DIGIT_CLASSES; digit++) {
      const canvas = h('canvas', { width: DIGIT_SIZE, height: DIGIT_SIZE, class: 'probe-thumb' });
      if (this.probes) paintGrey(canvas, this.probes.subarray(digit * DIGIT_PIXELS, (digit + 1) * DIGIT_PIXELS), DIGIT_SIZE, DIGIT_SIZE);
      items.push(this.probeButton(canvas, `${digit}`, `validation digit ${digit}`, { kind: 'probe', digit }, `probe-${digit}`));
    }
    if (this.drawn) {
      const canvas = h('canvas', { width: DIGIT_SIZE, height: DIGIT_SIZE, class: 'probe-thumb' });
      paintGrey(canvas, decodeBase64(this.drawn)!, DIGIT_SIZE, DIGIT_SIZE);
      items.push(this.probeButton(canvas, 'drawn', 'your drawn digit', { kind: 'drawn' }, 'probe-drawn'));
    }
    this.strip.replaceChildren(...items);
  }

  private probeButton(canvas: HTMLCanvasElement, label: string, name: string, chosen: Chosen, testId: string): HTMLElement {
    const selected = JSON.stringify(chosen) === JSON.stringify(this.chosen);
    const button = h('button', { class: `probe${selected ? ' selected' : ''}`, role: 'radio', 'aria-checked': selected ? 'true' : 'false', 'aria-label': name, title: name, 'data-testid': testId, tabindex: selected ? 0 : -1 },
      canvas, h('span', { class: 'probe-label' }, label));
    button.addEventListener('click', () => this.choose(chosen));
    return button;
  }

  private clearMaps(message: string): void {
    this.shownLayout = '';
    this.caption.textContent = '';
    this.grids.replaceChildren(message ? h('p', { class: 'muted' }, message) : '');
  }

  unavailable(reason: string): void {
    if (this.blockId) this.clearMaps(reason);
  }

  show(maps: FeatureMapsReport): void {
    if (maps.blockId !== this.blockId || maps.probe.kind !== this.chosen.kind || (maps.probe.kind === 'probe' && this.chosen.kind === 'probe' && maps.probe.digit !== this.chosen.digit)) return;
    const image = maps.probe.kind === 'probe' ? `validation ${maps.probe.digit}` : 'drawn digit';
    this.caption.textContent = `${image} · step ${maps.step}`;
    if (maps.layers.length === 0) {
      this.clearMaps('This block has no spatial maps: its outputs are vectors.');
      this.caption.textContent = `${image} · step ${maps.step}`;
      return;
    }
    // Canvases are kept while the block and the shapes stay, so a refresh only repaints pixels.
    const layout = JSON.stringify(maps.layers.map((l) => [l.layerName, l.channels, l.height, l.width]));
    if (layout !== this.shownLayout) {
      this.shownLayout = layout;
      this.grids.replaceChildren(...maps.layers.map((layer) => layerGrid(layer)));
    }
    maps.layers.forEach((layer, i) => paintLayer(this.grids.children[i] as HTMLElement, layer));
  }
}

function layerGrid(layer: FeatureMapLayer): HTMLElement {
  const cells = Array.from({ length: layer.channels }, () => h('canvas', { width: layer.width, height: layer.height, class: 'feature-map' }));
  return h('div', { class: 'feature-layer', 'data-layer': layer.layerName },
    h('h4', { class: 'feature-layer-title' }, h('span', { class: 'mono' }, layer.layerName), h('span', { class: 'muted layer-summary' })),
    h('div', { class: 'feature-grid' }, ...cells));
}

function paintLayer(element: HTMLElement, layer: FeatureMapLayer): void {
  const maps = decodeBase64(layer.maps);
  const rangeBytes = decodeBase64(layer.ranges);
  if (!maps || !rangeBytes) return;
  const ranges = new Float32Array(rangeBytes.buffer, rangeBytes.byteOffset, rangeBytes.byteLength / 4);
  const dead = new Set(layer.dead);
  const size = layer.height * layer.width;
  const summary = element.querySelector('.layer-summary')!;
  summary.textContent = `${layer.channels} channels · ${layer.height}×${layer.width}${dead.size > 0 ? ` · ${dead.size} dead` : ''}`;
  const cells = element.querySelectorAll<HTMLCanvasElement>('canvas.feature-map');
  layer.order.forEach((channel, slot) => {
    const cell = cells[slot];
    if (!cell) return;
    paintHeat(cell, maps.subarray(slot * size, (slot + 1) * size), layer.width, layer.height);
    const isDead = dead.has(channel);
    cell.classList.toggle('dead', isDead);
    cell.title = isDead ? `channel ${channel}: dead, zero everywhere on this image`
      : `channel ${channel}: ${ranges[slot * 2]!.toPrecision(3)} to ${ranges[slot * 2 + 1]!.toPrecision(3)}`;
  });
}
