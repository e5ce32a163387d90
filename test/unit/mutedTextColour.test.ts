// Muted text must differ from normal text in every theme, and stay readable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contrastRatio, mutedTextColour, parseColour } from '../../shared/mutedTextColour';

const rgb = (text: string) => parseColour(text)!.rgb;

test('Light Modern (description = foreground = #3B3B3B): muted text is lighter, still 4.5:1 on white', () => {
  const muted = mutedTextColour('#3B3B3B', '#3B3B3B', '#FFFFFF');
  // The same grey Light Modern uses for placeholders, the classic 4.54:1 on white.
  assert.equal(muted, '#767676');
  assert.ok(contrastRatio(rgb(muted!), rgb('#FFFFFF')) >= 4.5);
  assert.ok(contrastRatio(rgb(muted!), rgb('#3B3B3B')) >= 1.1);
});

test('themes whose description colour already differs keep it (Dark Modern, Light+, translucent Dark+)', () => {
  assert.equal(mutedTextColour('#CCCCCC', '#9D9D9D', '#1F1F1F'), null);
  assert.equal(mutedTextColour('#616161', '#717171', '#FFFFFF'), null);
  assert.equal(mutedTextColour('#CCCCCC', '#ccccccb3', '#1E1E1E'), null);
});

test('a dark theme with equal colours gets a darker grey that still reads on its background', () => {
  const muted = mutedTextColour('#cccccc', 'rgb(204, 204, 204)', '#1f1f1f');
  assert.ok(muted);
  assert.ok(contrastRatio(rgb(muted), rgb('#1f1f1f')) >= 4.5);
  assert.ok(contrastRatio(rgb(muted), rgb('#cccccc')) >= 1.1);
});

test('text that is already at the contrast limit is left alone rather than made unreadable', () => {
  assert.equal(mutedTextColour('#767676', '#767676', '#FFFFFF'), null);
});

test('colours that cannot be read change nothing', () => {
  for (const bad of ['', 'red', 'var(--x)', '#12', '#gggggg', 'rgb(1, 2)']) {
    assert.equal(parseColour(bad), null, bad);
    assert.equal(mutedTextColour(bad, '#3B3B3B', '#FFFFFF'), null, bad);
  }
});

test('colour syntax VS Code uses is parsed', () => {
  assert.deepEqual(parseColour('#abc'), { rgb: { r: 170, g: 187, b: 204 }, alpha: 1 });
  assert.deepEqual(parseColour('#ffffff80'), { rgb: { r: 255, g: 255, b: 255 }, alpha: 128 / 255 });
  assert.deepEqual(parseColour('rgba(10, 20, 30, 0.5)'), { rgb: { r: 10, g: 20, b: 30 }, alpha: 0.5 });
  assert.deepEqual(parseColour('rgb(10 20 30 / 50%)'), { rgb: { r: 10, g: 20, b: 30 }, alpha: 0.5 });
});
