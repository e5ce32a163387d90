// The error gallery's messages: every malformed or oversized request is refused by the host's
// guard on the webview and by the trainer's guard on the host, with a sentence saying why; a
// reply is accepted only with at most GALLERY_MAX_IMAGES images and byte strings of exactly
// their size; an evaluation message must carry a well-formed confusion matrix.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { confusionAccuracy, confusionFromPredictions, confusionTotal } from '../../shared/confusionMatrix';
import {
  GALLERY_MAX_IMAGES, IMAGE_PIXELS, TOP_PREDICTION_BYTES, galleryImages, isErrorGallery, type ErrorGallery,
} from '../../shared/errorGallery';
import { parseHostToTrainer, parseTrainerToHost } from '../../shared/trainerProtocol';
import { parseWebviewToHost } from '../../shared/webviewProtocol';

const query = { split: 'validation', step: 120, selection: { kind: 'cell', trueDigit: 4, predictedDigit: 9 }, limit: 48 };

/** Both guards, for the same request body: the webview's and the host's message types. */
function bothGuards(body: Record<string, unknown>): { webview: string | null; trainer: string | null } {
  const webview = parseWebviewToHost({ type: 'requestGallery', ...body });
  const trainer = parseHostToTrainer({ type: 'gallery', ...body });
  return { webview: webview.ok ? null : webview.error, trainer: trainer.ok ? null : trainer.error };
}

test('a well-formed gallery request passes both guards unchanged', () => {
  const webview = parseWebviewToHost({ type: 'requestGallery', requestId: 3, query });
  assert.deepEqual(webview, { ok: true, message: { type: 'requestGallery', requestId: 3, query } });
  const strip = { split: 'test', step: 0, selection: { kind: 'confidentlyWrong' }, limit: 1 };
  assert.deepEqual(parseHostToTrainer({ type: 'gallery', requestId: 1, query: strip }), { ok: true, message: { type: 'gallery', requestId: 1, query: strip } });
});

const malformed: [string, Record<string, unknown>, RegExp][] = [
  ['no request id', { query }, /requestId is missing/],
  ['a fractional request id', { requestId: 1.5, query }, /requestId/],
  ['no query', { requestId: 1 }, /query is missing/],
  ['a query that is an array', { requestId: 1, query: [query] }, /query must be an object/],
  ['an unknown split', { requestId: 1, query: { ...query, split: 'train' } }, /query\.split must be one of validation, test/],
  ['a negative step', { requestId: 1, query: { ...query, step: -1 } }, /query\.step must be a whole number/],
  ['a step given as text', { requestId: 1, query: { ...query, step: '120' } }, /query\.step must be a whole number/],
  ['a limit of 0', { requestId: 1, query: { ...query, limit: 0 } }, /limit must be a whole number from 1 to 48/],
  ['a limit above the maximum', { requestId: 1, query: { ...query, limit: GALLERY_MAX_IMAGES + 1 } }, /limit must be/],
  ['a huge limit', { requestId: 1, query: { ...query, limit: 1e9 } }, /limit must be/],
  ['a digit of 10', { requestId: 1, query: { ...query, selection: { kind: 'cell', trueDigit: 10, predictedDigit: 9 } } }, /selection\.trueDigit must be a whole number from 0 to 9/],
  ['a fractional digit', { requestId: 1, query: { ...query, selection: { kind: 'cell', trueDigit: 4, predictedDigit: 8.5 } } }, /selection\.predictedDigit must be a whole number/],
  ['a missing digit', { requestId: 1, query: { ...query, selection: { kind: 'cell', trueDigit: 4 } } }, /selection\.predictedDigit is missing/],
  ['an unknown selection kind', { requestId: 1, query: { ...query, selection: { kind: 'everything' } } }, /selection\.kind must be one of cell, confidentlyWrong/],
  ['no selection', { requestId: 1, query: { ...query, selection: null } }, /selection must be an object/],
];

for (const [what, body, error] of malformed) {
  test(`a gallery request with ${what} is refused by both guards`, () => {
    const { webview, trainer } = bothGuards(body);
    assert.match(webview ?? 'accepted', error);
    assert.match(trainer ?? 'accepted', error);
  });
}

test('an oversized gallery request is refused by both guards: every field is bounded and no other field is let in', () => {
  const padding = 'x'.repeat(1024);
  for (const body of [{ requestId: 1, query, padding }, { requestId: 1, query: { ...query, note: padding } }, { requestId: 1, query: { ...query, selection: { kind: 'cell', trueDigit: 4, predictedDigit: 9, extra: new Array(500).fill(0) } } }]) {
    const { webview, trainer } = bothGuards(body);
    assert.match(webview ?? 'accepted', /has an unknown field/);
    assert.match(trainer ?? 'accepted', /has an unknown field/);
  }
});

function gallery(count: number): ErrorGallery {
  const pixels = new Uint8Array(count * IMAGE_PIXELS).map((_, i) => i % 256);
  const top = new Uint8Array(count * TOP_PREDICTION_BYTES);
  for (let i = 0; i < count; i++) top.set([9, 204, 4, 51, 7, 0], i * TOP_PREDICTION_BYTES);
  return {
    query: { split: 'validation', step: 120, selection: { kind: 'cell', trueDigit: 4, predictedDigit: 9 }, limit: 48 },
    matches: count + 2,
    indices: Array.from({ length: count }, (_, i) => 10 * i),
    labels: new Array(count).fill(4),
    pixels: Buffer.from(pixels).toString('base64'),
    topPredictions: Buffer.from(top).toString('base64'),
  };
}

test('a gallery reply unpacks to its images, pixels and quantised top-3 probabilities', () => {
  const reply = gallery(3);
  assert.ok(isErrorGallery(reply));
  assert.equal(parseTrainerToHost({ type: 'gallery', requestId: 2, gallery: reply }).ok, true);
  const images = galleryImages(reply);
  assert.equal(images.length, 3);
  assert.deepEqual(images.map((i) => i.index), [0, 10, 20]);
  assert.equal(images[1]!.pixels.length, IMAGE_PIXELS);
  assert.equal(images[1]!.pixels[0], IMAGE_PIXELS % 256);
  assert.deepEqual(images[0]!.top, [{ digit: 9, probability: 0.8 }, { digit: 4, probability: 0.2 }, { digit: 7, probability: 0 }]);
});

test('images decode to exactly the bytes encoded, for every byte value and all three base64 paddings', () => {
  // 784 bytes per image: one, two and three images end in '==', '=' and no padding.
  for (const count of [1, 2, 3]) {
    const reply = gallery(count);
    assert.equal(reply.pixels.endsWith('=='), count === 1);
    assert.equal(/[^=]=$/.test(reply.pixels), count === 2);
    const decoded = galleryImages(reply).flatMap((image) => [...image.pixels]);
    assert.deepEqual(decoded, [...Buffer.from(reply.pixels, 'base64')], `${count} images`);
  }
});

test('gallery replies with too many images, wrong byte counts or non-base64 bytes are refused', () => {
  const bad: [string, unknown][] = [
    ['too many images', gallery(GALLERY_MAX_IMAGES + 1)],
    ['pixels one image short', { ...gallery(3), pixels: gallery(2).pixels }],
    ['predictions one image short', { ...gallery(3), topPredictions: gallery(2).topPredictions }],
    ['pixels that are not base64', { ...gallery(1), pixels: '!'.repeat(gallery(1).pixels.length) }],
    ['a label that is not a digit', { ...gallery(1), labels: [12] }],
    ['fewer matches than images', { ...gallery(3), matches: 2 }],
    ['a malformed query', { ...gallery(1), query: { ...gallery(1).query, limit: 0 } }],
  ];
  for (const [what, reply] of bad) {
    assert.equal(isErrorGallery(reply), false, what);
    assert.equal(parseTrainerToHost({ type: 'gallery', requestId: 2, gallery: reply }).ok, false, what);
  }
  assert.equal(parseTrainerToHost({ type: 'gallery', gallery: gallery(1) }).ok, false, 'no request id');
});

test('confusion counts every (true, predicted) pair once; its accuracy is its diagonal share', () => {
  const labels = [0, 1, 1, 4, 4, 4, 9];
  const predicted = [0, 1, 7, 4, 9, 4, 9];
  const { matrix, perClassAccuracy } = confusionFromPredictions(labels, predicted);
  assert.equal(confusionTotal(matrix), 7);
  assert.equal(matrix[4]![9], 1);
  assert.equal(matrix[1]![7], 1);
  assert.equal(confusionAccuracy(matrix), 5 / 7);
  assert.deepEqual(perClassAccuracy, [1, 0.5, null, null, 2 / 3, null, null, null, null, 1]);
});

test('an evaluation message without a well-formed confusion matrix is refused', () => {
  const { matrix, perClassAccuracy } = confusionFromPredictions([3, 3], [3, 5]);
  const evaluation = { step: 5, split: 'validation', accuracy: 0.5, loss: 1, examples: 2, predictedClassCounts: [0, 0, 0, 1, 0, 1, 0, 0, 0, 0] };
  assert.equal(parseTrainerToHost({ type: 'evaluation', evaluation: { ...evaluation, confusion: { matrix, perClassAccuracy } } }).ok, true);
  for (const confusion of [undefined, { matrix: matrix.slice(1), perClassAccuracy }, { matrix: [...matrix.slice(1), [1.5, 0, 0, 0, 0, 0, 0, 0, 0, 0]], perClassAccuracy },
    { matrix, perClassAccuracy: perClassAccuracy.slice(1) }, { matrix, perClassAccuracy: perClassAccuracy.map(() => 'high') }]) {
    assert.match(String((parseTrainerToHost({ type: 'evaluation', evaluation: { ...evaluation, confusion } }) as { error?: string }).error), /^evaluation\.evaluation\.confusion[ .[]/);
  }
});
