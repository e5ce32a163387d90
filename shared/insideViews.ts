// What the "inside" views exchange: feature maps of one block for one image, the probe digits
// they can be shown for, and live predictions of a drawn digit. Binary payloads travel as
// base64 bytes (uint8 maps with a per-map range, 784 digit bytes), never as JSON arrays of
// floats. The guards here serve both edges (webview → host and host → trainer).
import { base64Length, decodeBase64 } from './base64Bytes';
import { DIGIT_PIXELS } from './digitPreprocessing';
import { isIntegerIn, isRecord, isShortString } from './validation';

export const DIGIT_CLASSES = 10;

/** The image feature maps are computed for: the validation probe of one class, or the drawn digit. */
export type ProbeChoice = { kind: 'probe'; digit: number } | { kind: 'drawn'; pixels: string };
/** A ProbeChoice as a report names it (the drawn digit's pixels are not echoed back). */
export type ProbeRef = { kind: 'probe'; digit: number } | { kind: 'drawn' };

/** One validation digit per class, the first of each in the validation split. */
export interface ProbeDigits {
  /** base64 of 10 × 784 bytes: digit 0's image first. */
  images: string;
  /** Index of each in the validation split. */
  indices: number[];
}

/** One layer's channels as small heat maps, strongest first. */
export interface FeatureMapLayer {
  layerName: string;
  height: number;
  width: number;
  channels: number;
  /** Channel numbers in display order: highest mean activation first. */
  order: number[];
  /** Channels that are zero everywhere on this image (a ReLU that never fired), in channel numbers. */
  dead: number[];
  /** base64 of float32 [min, max] per map, in display order: the map's per-map scale. */
  ranges: string;
  /** base64 of uint8 maps in display order, each height × width, 0 = min and 255 = max. */
  maps: string;
}

export interface FeatureMapsReport {
  blockId: string;
  step: number;
  probe: ProbeRef;
  layers: FeatureMapLayer[];
}

/** The current weights' softmax for one 28×28 digit. */
export interface DigitPrediction {
  step: number;
  probabilities: number[];
}

export type InsideRequestKind = 'featureMaps' | 'prediction' | 'probeDigits';

/**
 * The most often the panel asks: feature maps twice a second, predictions four times (while
 * drawing, and as training changes the weights). The benchmark's inside-view variant asks at
 * this rate too.
 */
export const PANEL_REFRESH_MS: Readonly<Record<InsideRequestKind, number>> = { featureMaps: 500, prediction: 250, probeDigits: 0 };

type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** 784 bytes as base64, exactly: anything longer or malformed is refused before decoding. */
export function checkDigitPixels(raw: unknown): Checked<string> {
  if (typeof raw !== 'string') return { ok: false, error: 'pixels must be a base64 string' };
  if (raw.length !== base64Length(DIGIT_PIXELS)) return { ok: false, error: `pixels must be ${DIGIT_PIXELS} bytes as base64 (${base64Length(DIGIT_PIXELS)} characters), got ${raw.length} characters` };
  if (decodeBase64(raw)?.length !== DIGIT_PIXELS) return { ok: false, error: 'pixels are not valid base64' };
  return { ok: true, value: raw };
}

export function checkProbeChoice(raw: unknown): Checked<ProbeChoice> {
  if (!isRecord(raw)) return { ok: false, error: 'probe must be an object' };
  if (raw.kind === 'probe') {
    if (!isIntegerIn(raw.digit, 0, DIGIT_CLASSES - 1)) return { ok: false, error: 'probe.digit must be a whole number 0–9' };
    return { ok: true, value: { kind: 'probe', digit: raw.digit } };
  }
  if (raw.kind === 'drawn') {
    const pixels = checkDigitPixels(raw.pixels);
    return pixels.ok ? { ok: true, value: { kind: 'drawn', pixels: pixels.value } } : { ok: false, error: `probe.${pixels.error}` };
  }
  return { ok: false, error: 'probe.kind must be probe or drawn' };
}

/** Block ids are short names; the same rule selectBlock uses. */
export function isBlockId(raw: unknown): raw is string {
  return isShortString(raw, 64) && /^[a-z0-9_]+$/i.test(raw);
}

export function probeRef(choice: ProbeChoice): ProbeRef {
  return choice.kind === 'probe' ? choice : { kind: 'drawn' };
}
