// A drawn digit made to look like an MNIST digit, as LeCun et al. prepared theirs: the ink's
// bounding box is scaled to fit a 20×20 box (aspect ratio kept), resampled by area averaging
// (anti-aliased: every output pixel is the mean ink over the source area it covers), and placed
// in a 28×28 field so that its centre of mass sits at the field's centre. Pure: the webview shows
// the result and the trainer is given exactly these 784 values.

export const DIGIT_SIZE = 28;
/** MNIST's digits were fitted into this box before centring. */
export const DIGIT_BOX = 20;
export const DIGIT_PIXELS = DIGIT_SIZE * DIGIT_SIZE;

/** A greyscale picture, row-major, ink intensity 0 (paper) to 1 (full ink). */
export interface InkImage {
  width: number;
  height: number;
  ink: Float32Array;
}

interface InkBounds { left: number; top: number; right: number; bottom: number }

/** The smallest rectangle holding every inked pixel, or null for a blank picture. */
function inkBounds(image: InkImage): InkBounds | null {
  let left = image.width, top = image.height, right = -1, bottom = -1;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (image.ink[y * image.width + x]! <= 0) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
    }
  }
  return right < 0 ? null : { left, top, right: right + 1, bottom: bottom + 1 };
}

/**
 * How much of source cell [start + i, start + i + 1) falls in each of `outSize` output cells of
 * width `span / outSize`: the exact overlap lengths, so resampling neither loses nor invents ink.
 */
function coverage(start: number, span: number, outSize: number): number[][] {
  const cell = span / outSize;
  const weights: number[][] = [];
  for (let o = 0; o < outSize; o++) {
    const from = start + o * cell, to = from + cell;
    const row: number[] = [];
    for (let s = Math.floor(from); s < Math.ceil(to); s++) row.push(Math.max(0, Math.min(to, s + 1) - Math.max(from, s)));
    weights.push(row);
  }
  return weights;
}

/** Area-averaged resample of the box [left,right)×[top,bottom) to outWidth×outHeight. */
function resampleBox(image: InkImage, bounds: InkBounds, outWidth: number, outHeight: number): Float32Array {
  const spanX = bounds.right - bounds.left, spanY = bounds.bottom - bounds.top;
  const wx = coverage(bounds.left, spanX, outWidth), wy = coverage(bounds.top, spanY, outHeight);
  const cellArea = (spanX / outWidth) * (spanY / outHeight);
  const out = new Float32Array(outWidth * outHeight);
  for (let oy = 0; oy < outHeight; oy++) {
    const y0 = Math.floor(bounds.top + (oy * spanY) / outHeight);
    for (let ox = 0; ox < outWidth; ox++) {
      const x0 = Math.floor(bounds.left + (ox * spanX) / outWidth);
      let sum = 0;
      wy[oy]!.forEach((fy, dy) => {
        if (fy === 0) return;
        const row = (y0 + dy) * image.width;
        wx[ox]!.forEach((fx, dx) => { sum += fy * fx * image.ink[row + x0 + dx]!; });
      });
      out[oy * outWidth + ox] = sum / cellArea;
    }
  }
  return out;
}

/** Centre of mass of a width×height picture, in continuous coordinates (pixel i spans [i, i+1)). */
export function centreOfMass(values: ArrayLike<number>, width: number, height: number): { x: number; y: number } | null {
  let total = 0, sx = 0, sy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = values[y * width + x]!;
      total += v;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
    }
  }
  return total > 0 ? { x: sx / total, y: sy / total } : null;
}

/**
 * The drawing as the network sees it: 784 values in [0, 1], row-major 28×28, or null when
 * nothing is drawn. The shift that centres the mass is whole pixels (as MNIST's was) and is kept
 * within the field, so a lopsided digit near the edge stays whole rather than exactly centred.
 */
export function preprocessDrawing(image: InkImage): Float32Array | null {
  if (image.ink.length !== image.width * image.height) throw new Error(`ink has ${image.ink.length} values for a ${image.width}×${image.height} picture`);
  const bounds = inkBounds(image);
  if (!bounds) return null;
  const spanX = bounds.right - bounds.left, spanY = bounds.bottom - bounds.top;
  const scale = DIGIT_BOX / Math.max(spanX, spanY);
  const boxWidth = Math.max(1, Math.round(spanX * scale)), boxHeight = Math.max(1, Math.round(spanY * scale));
  const box = resampleBox(image, bounds, boxWidth, boxHeight);
  const mass = centreOfMass(box, boxWidth, boxHeight)!;
  const centre = DIGIT_SIZE / 2;
  const clamp = (value: number, max: number) => Math.min(max, Math.max(0, value));
  const offsetX = clamp(Math.round(centre - mass.x), DIGIT_SIZE - boxWidth);
  const offsetY = clamp(Math.round(centre - mass.y), DIGIT_SIZE - boxHeight);
  const digit = new Float32Array(DIGIT_PIXELS);
  for (let y = 0; y < boxHeight; y++) {
    for (let x = 0; x < boxWidth; x++) digit[(y + offsetY) * DIGIT_SIZE + x + offsetX] = Math.min(1, box[y * boxWidth + x]!);
  }
  return digit;
}

/** The digit as bytes 0–255, the form it crosses process boundaries in. */
export function quantiseDigit(digit: Float32Array): Uint8Array {
  return Uint8Array.from(digit, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
}

/** PIXEL_VALUE[b] is byte b scaled to [0, 1], rounded to float32 once, as Float32Array storage rounds b / 255. */
export const PIXEL_VALUE = Float32Array.from({ length: 256 }, (_, b) => b / 255);

/** Bytes as the network's [0, 1] input: the one scaling of MNIST's splits, the probe digits and drawn digits. */
export function digitFromBytes(bytes: Uint8Array): Float32Array {
  const values = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) values[i] = PIXEL_VALUE[bytes[i]!]!;
  return values;
}
