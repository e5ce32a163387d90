// What the "inside" views exchange: feature maps of one block for one image, the probe digits
// they can be shown for, and live predictions of a drawn digit. Binary payloads travel as
// base64 bytes (uint8 maps with a per-map range, 784 digit bytes), never as JSON arrays of
// floats. The guards here serve both edges (webview → host and host → trainer).
import { base64Length, decodeBase64, isBase64Of } from './base64Bytes';
import { DIGIT_CLASSES } from './confusionMatrix';
import { DIGIT_PIXELS, DIGIT_SIZE } from './digitPreprocessing';
import {
  allOf, describeValue, exactly, integer, isFiniteNumber, listOf, oneOf, satisfies, shape, text, variants, type Check,
} from './validation';

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
export const INSIDE_REQUEST_KINDS: readonly InsideRequestKind[] = ['featureMaps', 'prediction', 'probeDigits'];

/**
 * The most often the panel asks: feature maps twice a second, predictions four times (while
 * drawing, and as training changes the weights). The benchmark's inside-view variant asks at
 * this rate too.
 */
export const PANEL_REFRESH_MS: Readonly<Record<InsideRequestKind, number>> = { featureMaps: 500, prediction: 250, probeDigits: 0 };

/** The deepest a block goes: the seed's residual blocks have four spatial layers (three convs and the add). */
export const MAX_FEATURE_MAP_LAYERS = 8;
/** The most channels one layer may report (the seed's widest has 256). */
export const MAX_FEATURE_MAP_CHANNELS = 1024;
/** A map is at most the input's 28×28. */
const MAX_MAP_SIDE = DIGIT_SIZE;
/** Per map: float32 min and max. */
const RANGE_BYTES = 8;

// ---- message shapes (the guards of every edge the inside views cross) ----

const whole = integer(0, Number.MAX_SAFE_INTEGER);
const digit = integer(0, DIGIT_CLASSES - 1);

/** A block's id: a short name, the same rule for selectBlock and the feature-map requests. */
export const blockId: Check = (value, at) => text(64)(value, at) ?? (/^[a-z0-9_]+$/i.test(value as string) ? null : `${at} must be a block name (got ${describeValue(value)})`);

/** A 28×28 digit: exactly 784 bytes as base64, so an oversized one is refused before it is decoded. */
export const digitPixels: Check = (value, at) => {
  const expected = `${DIGIT_PIXELS} bytes as base64 (${base64Length(DIGIT_PIXELS)} characters)`;
  if (typeof value !== 'string') return `${at} must be ${expected} (got ${describeValue(value)})`;
  if (value.length !== base64Length(DIGIT_PIXELS)) return `${at} must be ${expected}, got ${value.length} characters`;
  return decodeBase64(value)?.length === DIGIT_PIXELS ? null : `${at} is not valid base64`;
};

export const probeChoice: Check = variants('kind', {
  probe: shape({ kind: exactly('probe'), digit }),
  drawn: shape({ kind: exactly('drawn'), pixels: digitPixels }),
});

const probeRefShape: Check = variants('kind', {
  probe: shape({ kind: exactly('probe'), digit }),
  drawn: shape({ kind: exactly('drawn') }),
});

/** Display order is a permutation of the channels, dead ones are channels, and the byte strings hold exactly channels maps. */
function layerFitsItsSize(value: unknown): boolean {
  const layer = value as FeatureMapLayer;
  const { channels, height, width, order, dead } = layer;
  const inRange = (c: number) => c < channels;
  return order.length === channels && new Set(order).size === channels && order.every(inRange) &&
    new Set(dead).size === dead.length && dead.every(inRange) &&
    isBase64Of(layer.ranges, channels * RANGE_BYTES) && isBase64Of(layer.maps, channels * height * width);
}

const featureMapLayer: Check = allOf(
  shape({
    layerName: text(128), height: integer(1, MAX_MAP_SIDE), width: integer(1, MAX_MAP_SIDE), channels: integer(1, MAX_FEATURE_MAP_CHANNELS),
    order: listOf(whole, MAX_FEATURE_MAP_CHANNELS), dead: listOf(whole, MAX_FEATURE_MAP_CHANNELS),
    ranges: text(base64Length(MAX_FEATURE_MAP_CHANNELS * RANGE_BYTES)), maps: text(base64Length(MAX_FEATURE_MAP_CHANNELS * MAX_MAP_SIDE * MAX_MAP_SIDE)),
  }),
  satisfies(layerFitsItsSize, 'a layer whose order, dead channels, ranges and maps fit its channels and size'),
);

export const featureMapsReport: Check = shape({
  blockId, step: whole, probe: probeRefShape, layers: listOf(featureMapLayer, MAX_FEATURE_MAP_LAYERS),
});

const probability: Check = satisfies((v) => isFiniteNumber(v) && v >= 0 && v <= 1, 'a probability from 0 to 1');

export const digitPrediction: Check = shape({ step: whole, probabilities: listOf(probability, DIGIT_CLASSES, DIGIT_CLASSES) });

export const probeDigits: Check = shape({
  images: satisfies((v) => typeof v === 'string' && isBase64Of(v, DIGIT_CLASSES * DIGIT_PIXELS), `${DIGIT_CLASSES} digits of ${DIGIT_PIXELS} bytes as base64`),
  indices: listOf(whole, DIGIT_CLASSES, DIGIT_CLASSES),
});

export const insideRequestKind: Check = oneOf(INSIDE_REQUEST_KINDS);

export function probeRef(choice: ProbeChoice): ProbeRef {
  return choice.kind === 'probe' ? choice : { kind: 'drawn' };
}
