// Where a setting's value sits in a settings.json text, so "Open settings.json" can put the
// cursor on the value the Settings UI cannot show (a string where a number belongs, say).

/** Offsets [start, end) of `key`'s value in a settings.json text; null when the key is not there. */
export function settingValueRange(text: string, key: string): { start: number; end: number } | null {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // settings.json is JSONC: skip a key on a line that is commented out (the last match wins, as in VS Code).
  const matches = [...text.matchAll(new RegExp(`"${escaped}"\\s*:\\s*`, 'g'))].filter((m) => {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    return !text.slice(lineStart, m.index).includes('//');
  });
  const match = matches.at(-1);
  if (!match) return null;
  const start = match.index + match[0].length;
  if (text[start] === '"') {
    // A string value: up to its closing quote, skipping escaped characters.
    for (let i = start + 1; i < text.length; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === '"') return { start, end: i + 1 };
    }
    return { start, end: text.length };
  }
  // A number, literal, or (rarely) an object or array: up to the next separator on its line.
  const rest = /^[^,}\]\n\r]*/.exec(text.slice(start))![0];
  return { start, end: start + rest.trimEnd().length };
}
