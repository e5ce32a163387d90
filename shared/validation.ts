// Small runtime checks for messages that cross a process boundary. Everything that arrives is
// untrusted until a guard built from these accepts it.

export type UnknownRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is UnknownRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A number, or NaN/±Infinity: training statistics legitimately go non-finite when a run diverges. */
export function isNumberLike(value: unknown): value is number {
  return typeof value === 'number';
}

export function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}

export function isShortString(value: unknown, maxLength = 4096): value is string {
  return typeof value === 'string' && value.length <= maxLength;
}

export function isOneOf<T extends string>(value: unknown, options: readonly T[]): value is T {
  return typeof value === 'string' && (options as readonly string[]).includes(value);
}

/** Request ids pair a reply with its request; small positive integers. */
export function isRequestId(value: unknown): value is number {
  return isIntegerIn(value, 1, Number.MAX_SAFE_INTEGER);
}
