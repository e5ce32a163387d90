// The drawn digit made MNIST-like: fitted into 20×20, anti-aliased by area averaging, centred by
// centre of mass in 28×28. Known inputs, exact expectations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { centreOfMass, DIGIT_SIZE, digitFromBytes, preprocessDrawing, quantiseDigit, type InkImage } from '../../shared/digitPreprocessing';

function blank(width: number, height: number): InkImage {
  return { width, height, ink: new Float32Array(width * height) };
}

function fill(image: InkImage, left: number, top: number, width: number, height: number, value = 1): InkImage {
  for (let y = top; y < top + height; y++) for (let x = left; x < left + width; x++) image.ink[y * image.width + x] = value;
  return image;
}

/** Rows and columns that hold ink: the digit's bounding box in the 28×28 result. */
function box(digit: Float32Array): { left: number; top: number; width: number; height: number } {
  let left = DIGIT_SIZE, top = DIGIT_SIZE, right = -1, bottom = -1;
  digit.forEach((v, i) => {
    if (v <= 0) return;
    const x = i % DIGIT_SIZE, y = Math.floor(i / DIGIT_SIZE);
    left = Math.min(left, x); right = Math.max(right, x); top = Math.min(top, y); bottom = Math.max(bottom, y);
  });
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}

const sum = (values: Float32Array) => values.reduce((a, b) => a + b, 0);

test('a blank drawing gives no digit', () => {
  assert.equal(preprocessDrawing(blank(280, 280)), null);
});

test('an off-centre stroke ends centred by its centre of mass', () => {
  // A short vertical bar drawn in the top-left corner of a 280×280 canvas.
  const digit = preprocessDrawing(fill(blank(280, 280), 10, 20, 30, 120))!;
  const mass = centreOfMass(digit, DIGIT_SIZE, DIGIT_SIZE)!;
  assert.ok(Math.abs(mass.x - 14) <= 0.5, `centre of mass x ${mass.x}`);
  assert.ok(Math.abs(mass.y - 14) <= 0.5, `centre of mass y ${mass.y}`);
});

test('a lopsided stroke is centred by mass, not by its box', () => {
  // An L: the mass sits left of the box's middle, so the box ends right of the field's middle.
  const image = fill(fill(blank(200, 200), 50, 20, 20, 160), 50, 160, 100, 20);
  const digit = preprocessDrawing(image)!;
  const mass = centreOfMass(digit, DIGIT_SIZE, DIGIT_SIZE)!;
  assert.ok(Math.abs(mass.x - 14) <= 0.5 && Math.abs(mass.y - 14) <= 0.5, `centre of mass ${mass.x}, ${mass.y}`);
  const b = box(digit);
  assert.ok(b.left + b.width / 2 > 14, `box middle ${b.left + b.width / 2} should lie right of the centre`);
});

test('the longer side is fitted to 20 pixels and the aspect ratio kept', () => {
  const tall = box(preprocessDrawing(fill(blank(280, 280), 100, 40, 50, 200))!);
  assert.equal(tall.height, 20);
  assert.equal(tall.width, 5); // 50 × 20/200
  const wide = box(preprocessDrawing(fill(blank(280, 280), 20, 100, 240, 60))!);
  assert.equal(wide.width, 20);
  assert.equal(wide.height, 5); // 60 × 20/240
  // A small drawing is scaled up to the same box.
  const small = box(preprocessDrawing(fill(blank(100, 100), 40, 40, 4, 4))!);
  assert.deepEqual([small.width, small.height], [20, 20]);
});

test('anti-aliasing by area averaging keeps the ink: output sum × cell area equals input sum', () => {
  // A 7-pixel square of full ink inside a 15-wide box: 20/15 does not divide, so edges are partial.
  const image = fill(fill(blank(64, 64), 10, 10, 15, 2), 14, 12, 7, 13);
  const inputInk = sum(image.ink);
  const digit = preprocessDrawing(image)!;
  const cell = 15 / 20; // source pixels per output pixel, each way
  assert.ok(Math.abs(sum(digit) * cell * cell - inputInk) < 1e-3, `${sum(digit) * cell * cell} vs ${inputInk}`);
  // Partly covered pixels are grey, not rounded to ink or paper.
  assert.ok(digit.some((v) => v > 0.05 && v < 0.95), 'expected anti-aliased edge pixels');
  assert.ok(digit.every((v) => v >= 0 && v <= 1));
});

test('a full-ink box stays full ink inside', () => {
  const digit = preprocessDrawing(fill(blank(40, 40), 0, 0, 40, 40))!;
  assert.equal(sum(digit), 400);
  assert.deepEqual(box(digit), { left: 4, top: 4, width: 20, height: 20 });
});

test('digits cross boundaries as bytes and come back within 1/255', () => {
  const digit = preprocessDrawing(fill(blank(280, 280), 30, 30, 90, 150, 0.6))!;
  const back = digitFromBytes(quantiseDigit(digit));
  assert.equal(back.length, 784);
  back.forEach((v, i) => assert.ok(Math.abs(v - digit[i]!) <= 0.5 / 255 + 1e-7));
});

test('ink that does not match the picture size is refused', () => {
  assert.throws(() => preprocessDrawing({ width: 28, height: 28, ink: new Float32Array(10) }), /10 values for a 28×28 picture/);
});
