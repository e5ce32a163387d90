// Bytes as base64 text: the compact form binary payloads (digits, quantised feature maps) take
// on the JSON-serialised IPC channel and in webview messages. Pure, so the trainer (Node), the
// host and the webview (browser) encode and decode with the one definition.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!, b = bytes[i + 1], c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]! + (b === undefined ? '=' : ALPHABET[(n >> 6) & 63]!) + (c === undefined ? '=' : ALPHABET[n & 63]!);
  }
  return out;
}

/** The bytes, or null if `text` is not canonical base64. */
export function decodeBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0) return null;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const c = text[i + k]!;
      const last = i + 4 === text.length;
      const v = c === '=' && last && k >= 4 - padding ? 0 : VALUE.get(c);
      if (v === undefined) return null;
      n = (n << 6) | v;
    }
    if (o < bytes.length) bytes[o++] = (n >> 16) & 255;
    if (o < bytes.length) bytes[o++] = (n >> 8) & 255;
    if (o < bytes.length) bytes[o++] = n & 255;
  }
  return bytes;
}

/** Exactly this many bytes as base64 characters, for size checks before decoding. */
export function base64Length(byteCount: number): number {
  return Math.ceil(byteCount / 3) * 4;
}

const BASE64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;

/** `text` is base64 of exactly `byteCount` bytes (length and alphabet; checked without decoding). */
export function isBase64Of(text: string, byteCount: number): boolean {
  return text.length === base64Length(byteCount) && BASE64_TEXT.test(text);
}
