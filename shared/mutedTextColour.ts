// Colour for secondary ("muted") text. VS Code's Light Modern theme gives descriptionForeground the
// same colour as foreground (#3B3B3B both), so labels, units and notes would read exactly like the
// values beside them. When a theme does that, the panel blends the foreground toward the
// background instead: the dimmest blend that keeps WCAG AA's 4.5:1 contrast for small text.
// Pure, so the rule is unit-tested; the webview applies it when the theme changes.

export interface Rgb { r: number; g: number; b: number }

/** A CSS colour as VS Code writes theme variables: #rgb, #rgba, #rrggbb, #rrggbbaa or rgb()/rgba(). */
export function parseColour(text: string): { rgb: Rgb; alpha: number } | null {
  const value = text.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(value)?.[1];
  if (hex) {
    const digits = hex.length <= 4 ? [...hex].map((d) => d + d) : hex.match(/../g)!;
    const [r, g, b, a] = digits.map((d) => parseInt(d, 16));
    return { rgb: { r: r!, g: g!, b: b! }, alpha: a === undefined ? 1 : a / 255 };
  }
  const fn = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(value);
  if (!fn) return null;
  const alphaText = fn[4];
  const alpha = alphaText === undefined ? 1 : alphaText.endsWith('%') ? parseFloat(alphaText) / 100 : parseFloat(alphaText);
  return { rgb: { r: Number(fn[1]), g: Number(fn[2]), b: Number(fn[3]) }, alpha };
}

/** WCAG relative luminance. */
function luminance({ r, g, b }: Rgb): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG contrast ratio, 1 (same) to 21 (black on white). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

function blend(a: Rgb, b: Rgb, towardB: number): Rgb {
  const mix = (x: number, y: number) => Math.round(x + (y - x) * towardB);
  return { r: mix(a.r, b.r), g: mix(a.g, b.g), b: mix(a.b, b.b) };
}

/** Contrast ratio below which two text colours count as the same colour. */
export const INDISTINCT_CONTRAST = 1.1;
/** WCAG AA for normal-size text. */
export const MIN_TEXT_CONTRAST = 4.5;

/**
 * The colour muted text should use, or null to keep the theme's descriptionForeground (it already
 * differs from the foreground, or a colour could not be read). Translucent colours are taken as
 * drawn on the background.
 */
export function mutedTextColour(foreground: string, description: string, background: string): string | null {
  const [fg, desc, bg] = [foreground, description, background].map(parseColour);
  if (!fg || !desc || !bg) return null;
  const drawn = (c: { rgb: Rgb; alpha: number }) => blend(bg.rgb, c.rgb, c.alpha);
  const text = drawn(fg);
  if (contrastRatio(text, drawn(desc)) >= INDISTINCT_CONTRAST) return null;
  // Step toward the background while the text stays readable; never more than halfway.
  let best: Rgb | null = null;
  for (let step = 1; step <= 50; step++) {
    const candidate = blend(text, bg.rgb, step / 100);
    if (contrastRatio(candidate, bg.rgb) < MIN_TEXT_CONTRAST) break;
    best = candidate;
  }
  if (!best || contrastRatio(best, text) < INDISTINCT_CONTRAST) return null;
  return `#${[best.r, best.g, best.b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}
