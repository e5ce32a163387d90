// 28×28 greyscale bytes onto a canvas, and a heat-map ramp for feature maps. Pixels are written
// with putImageData; the canvas is scaled up by CSS (image-rendering: pixelated).

/** Ink as light on dark, the way MNIST digits are usually shown. */
export function paintGrey(canvas: HTMLCanvasElement, bytes: Uint8Array, width: number, height: number): void {
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const v = bytes[i]!;
    image.data.set([v, v, v, 255], i * 4);
  }
  context.putImageData(image, 0, 0);
}

// Dark blue → teal → yellow (viridis's ends and middle): ordered in lightness, so the strongest
// activation reads as the brightest in light and dark themes alike.
const RAMP: [number, number, number][] = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
const HEAT = Array.from({ length: 256 }, (_, v) => {
  const t = (v / 255) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(t)), f = t - i;
  return RAMP[i]!.map((c, k) => Math.round(c + (RAMP[i + 1]![k]! - c) * f)) as [number, number, number];
});

/** One quantised map (0 = its min, 255 = its max) as a heat map. */
export function paintHeat(canvas: HTMLCanvasElement, bytes: Uint8Array, width: number, height: number): void {
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(width, height);
  for (let i = 0; i < width * height; i++) image.data.set([...HEAT[bytes[i]!]!, 255], i * 4);
  context.putImageData(image, 0, 0);
}
