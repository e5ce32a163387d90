// The framing of every message on the trainer's local socket: one JSON value per line
// (newline-delimited JSON). Both ends use this one definition; what a line means is for the
// protocol's shape guards (trainerProtocol.ts) to decide, not for the framing.

/** A line longer than this (a peer that never sends a newline) is dropped, not buffered forever. */
export const MAX_LINE_CHARS = 64 * 1024 * 1024;

/** One message as one line: JSON never contains a raw newline, so the newline ends it unambiguously. */
export function encodeLine(message: unknown): string {
  return `${JSON.stringify(message)}\n`;
}

export type DecodedLine = { ok: true; value: unknown } | { ok: false; error: string };

/** Cuts a stream of text chunks into lines and parses each; a bad line is reported, never thrown. */
export class LineDecoder {
  private buffered = '';
  private skippingLongLine = false;

  constructor(private readonly maxLineChars = MAX_LINE_CHARS) {}

  /** The lines completed by `chunk`, in order; a partial last line waits for the next chunk. */
  push(chunk: string): DecodedLine[] {
    const decoded: DecodedLine[] = [];
    let text = this.buffered + chunk;
    this.buffered = '';
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n')) {
      const line = text.slice(0, newline);
      text = text.slice(newline + 1);
      if (this.skippingLongLine) {
        // The end of a line already reported as too long.
        this.skippingLongLine = false;
        continue;
      }
      if (line.trim() === '') continue;
      decoded.push(parseLine(line));
    }
    if (this.skippingLongLine) return decoded;
    if (text.length > this.maxLineChars) {
      this.skippingLongLine = true;
      decoded.push({ ok: false, error: `a line longer than ${this.maxLineChars} characters (no newline)` });
    } else {
      this.buffered = text;
    }
    return decoded;
  }
}

function parseLine(line: string): DecodedLine {
  try {
    return { ok: true, value: JSON.parse(line) as unknown };
  } catch {
    return { ok: false, error: `a line that is not JSON: ${line.length > 80 ? `${line.slice(0, 80)}…` : line}` };
  }
}
