// The misclassified-images gallery: what the panel asks the trainer for (the images of one
// confusion-matrix cell, or the most confidently wrong ones, at one evaluation) and what comes
// back. Pixels travel as bytes (base64), probabilities quantised to bytes, never float arrays.
import { base64Length, decodeBase64, isBase64Of } from './base64Bytes';
import { DIGIT_CLASSES } from './confusionMatrix';
import type { EvaluationSplit } from './trainingReports';
import {
  allOf, exactly, integer, isIntegerIn, isOneOf, isRecord, listOf, oneOf, requestId, satisfies, shape, text, variants, type Check,
} from './validation';

/** The most images one reply carries: a screenful of thumbnails, ~50 KB of pixels at most. */
export const GALLERY_MAX_IMAGES = 48;
export const IMAGE_SIDE = 28;
export const IMAGE_PIXELS = IMAGE_SIDE * IMAGE_SIDE;
/** Each image carries its three likeliest digits, as (digit, probability × 255) byte pairs. */
export const TOP_PREDICTIONS = 3;
export const TOP_PREDICTION_BYTES = TOP_PREDICTIONS * 2;
/** Probabilities are sent as round(p × 255): within 0.002 of the model's value. */
export const PROBABILITY_LEVELS = 255;

export type GallerySelection =
  | { kind: 'cell'; trueDigit: number; predictedDigit: number }
  /** The wrongly predicted images with the highest top probability. */
  | { kind: 'confidentlyWrong' };

/** Which evaluation (split and step) and which of its images. */
export interface GalleryQuery {
  split: EvaluationSplit;
  step: number;
  selection: GallerySelection;
  limit: number;
}

export interface ErrorGallery {
  query: GalleryQuery;
  /** How many images match; the reply holds the `limit` most confident of them. */
  matches: number;
  /** Each image's position in its split. */
  indices: number[];
  /** Each image's true digit. */
  labels: number[];
  /** base64 of count × 784 bytes: the 28×28 images, row by row, 0 = background. */
  pixels: string;
  /** base64 of count × 6 bytes: per image [digit, p × 255] for its three likeliest digits, likeliest first. */
  topPredictions: string;
}

export interface GalleryImage {
  index: number;
  label: number;
  pixels: Uint8Array;
  top: { digit: number; probability: number }[];
}

export type GalleryParse<T> = { ok: true; value: T } | { ok: false; error: string };

const isDigit = (value: unknown): value is number => isIntegerIn(value, 0, DIGIT_CLASSES - 1);

function parseSelection(raw: unknown): GallerySelection | string {
  if (!isRecord(raw)) return 'selection must be an object';
  if (raw.kind === 'confidentlyWrong') return { kind: 'confidentlyWrong' };
  if (raw.kind !== 'cell') return 'selection.kind must be cell or confidentlyWrong';
  if (!isDigit(raw.trueDigit) || !isDigit(raw.predictedDigit)) return 'selection digits must be whole numbers 0–9';
  return { kind: 'cell', trueDigit: raw.trueDigit, predictedDigit: raw.predictedDigit };
}

function parseQuery(raw: unknown): GalleryParse<GalleryQuery> {
  if (!isRecord(raw)) return { ok: false, error: 'query must be an object' };
  if (!isOneOf(raw.split, ['validation', 'test'] as const)) return { ok: false, error: 'split must be validation or test' };
  if (!isIntegerIn(raw.step, 0, Number.MAX_SAFE_INTEGER)) return { ok: false, error: 'step must be a whole number' };
  if (!isIntegerIn(raw.limit, 1, GALLERY_MAX_IMAGES)) return { ok: false, error: `limit must be a whole number from 1 to ${GALLERY_MAX_IMAGES}` };
  const selection = parseSelection(raw.selection);
  if (typeof selection === 'string') return { ok: false, error: selection };
  return { ok: true, value: { split: raw.split, step: raw.step, selection, limit: raw.limit } };
}

/** Shape and size check of a reply: at most GALLERY_MAX_IMAGES images, byte strings of exactly their length. */
export function isErrorGallery(value: unknown): value is ErrorGallery {
  if (!isRecord(value) || !parseQuery(value.query).ok) return false;
  const { indices, labels, pixels, topPredictions, matches } = value;
  if (!Array.isArray(indices) || indices.length > GALLERY_MAX_IMAGES || !indices.every((i) => isIntegerIn(i, 0, Number.MAX_SAFE_INTEGER))) return false;
  const count = indices.length;
  return isIntegerIn(matches, count, Number.MAX_SAFE_INTEGER) &&
    Array.isArray(labels) && labels.length === count && labels.every(isDigit) &&
    typeof pixels === 'string' && isBase64Of(pixels, count * IMAGE_PIXELS) &&
    typeof topPredictions === 'string' && isBase64Of(topPredictions, count * TOP_PREDICTION_BYTES);
}

/** The reply's images, unpacked for drawing. */
export function galleryImages(gallery: ErrorGallery): GalleryImage[] {
  // Checked by isErrorGallery on arrival; a string that is not base64 after all shows no images.
  const pixels = decodeBase64(gallery.pixels) ?? new Uint8Array(0);
  const top = decodeBase64(gallery.topPredictions) ?? new Uint8Array(0);
  return gallery.indices.map((index, i) => ({
    index,
    label: gallery.labels[i]!,
    pixels: pixels.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS),
    top: Array.from({ length: TOP_PREDICTIONS }, (_, k) => ({
      digit: top[i * TOP_PREDICTION_BYTES + 2 * k]!,
      probability: top[i * TOP_PREDICTION_BYTES + 2 * k + 1]! / PROBABILITY_LEVELS,
    })),
  }));
}

// ---- message shapes (the guards of both edges) ----

const digit = integer(0, DIGIT_CLASSES - 1);
const whole = integer(0, Number.MAX_SAFE_INTEGER);

const gallerySelection: Check = variants('kind', {
  cell: shape({ kind: exactly('cell'), trueDigit: digit, predictedDigit: digit }),
  confidentlyWrong: shape({ kind: exactly('confidentlyWrong') }),
});

const galleryQuery: Check = shape({
  split: oneOf(['validation', 'test']), step: whole, selection: gallerySelection, limit: integer(1, GALLERY_MAX_IMAGES),
});

/** A gallery request `{ type, requestId, query }`: every field bounded, so never oversized. */
export function galleryRequest(type: string): Check {
  return shape({ type: exactly(type), requestId, query: galleryQuery });
}

/** A gallery reply: its fields, then byte strings of exactly its image count's length. */
export const errorGallery: Check = allOf(
  shape({
    query: galleryQuery, matches: whole, indices: listOf(whole, GALLERY_MAX_IMAGES), labels: listOf(digit, GALLERY_MAX_IMAGES),
    pixels: text(base64Length(GALLERY_MAX_IMAGES * IMAGE_PIXELS)), topPredictions: text(base64Length(GALLERY_MAX_IMAGES * TOP_PREDICTION_BYTES)),
  }),
  satisfies(isErrorGallery, 'a gallery whose labels, pixels and predictions fit its image count'),
);
