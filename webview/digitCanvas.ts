// Draws a 28×28 MNIST digit on a canvas in the theme's text colour: each pixel's byte (0–255)
// becomes the ink's opacity, so digits read on light and dark themes alike.
import { IMAGE_SIDE } from '../shared/errorGallery';
import { h } from './dom';

/** "rgb(204, 204, 204)" → [204, 204, 204]; anything unparsable draws in mid grey. */
function inkColour(element: Element): [number, number, number] {
  const match = getComputedStyle(element).color.match(/\d+(\.\d+)?/g);
  return match && match.length >= 3 ? [Number(match[0]), Number(match[1]), Number(match[2])] : [128, 128, 128];
}

/** A canvas holding the digit; CSS scales it up with crisp pixels. `label` is its accessible name. */
export function digitCanvas(pixels: Uint8Array, label: string): HTMLCanvasElement {
  const canvas = h('canvas', { class: 'digit', width: IMAGE_SIDE, height: IMAGE_SIDE, role: 'img', 'aria-label': label });
  // The colour is known only once the canvas is styled, so paint after it joins the page.
  requestAnimationFrame(() => paint(canvas, pixels));
  return canvas;
}

function paint(canvas: HTMLCanvasElement, pixels: Uint8Array): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const [r, g, b] = inkColour(canvas);
  const image = context.createImageData(IMAGE_SIDE, IMAGE_SIDE);
  for (let i = 0; i < pixels.length; i++) image.data.set([r, g, b, pixels[i]!], i * 4);
  context.putImageData(image, 0, 0);
}
