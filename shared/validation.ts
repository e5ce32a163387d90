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

/**
 * A value named in a rejection, short whatever it is: a message can carry a megabyte string or a
 * structure nested thousands deep, and neither may end up in a log line (or overflow the stack
 * of a JSON.stringify).
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  return typeof value === 'bigint' ? `${value}n` : String(value);
}

// ---- message shapes ----
// A check returns null when the value fits, else one sentence naming where and what is wrong.
// Messages are described with these instead of hand-written ifs, so every field of every message
// is checked the same way: own keys only, no key the shape does not name, arrays of bounded
// length. A checked value is the value the process then acts on, nothing it did not check.

export type Check = (value: unknown, at: string) => string | null;

const problem = (at: string, expected: string, value: unknown) => `${at} must be ${expected} (got ${describeValue(value)})`;

export function integer(min: number, max: number): Check {
  return (value, at) => (isIntegerIn(value, min, max) ? null : problem(at, `a whole number from ${min} to ${max}`, value));
}

export const finiteNumber: Check = (value, at) => (isFiniteNumber(value) ? null : problem(at, 'a finite number', value));

/**
 * A training statistic: any number, or null. NaN and ±Infinity are legitimate in a diverged run
 * and JSON, which Node's IPC uses, carries them as null.
 */
export const statistic: Check = (value, at) => (typeof value === 'number' || value === null ? null : problem(at, 'a number', value));

export const boolean: Check = (value, at) => (typeof value === 'boolean' ? null : problem(at, 'true or false', value));

export function text(maxLength = 4096, minLength = 0): Check {
  return (value, at) => (isShortString(value, maxLength) && value.length >= minLength
    ? null
    : problem(at, `a string of ${minLength > 0 ? `${minLength} to ${maxLength}` : `at most ${maxLength}`} characters`, value));
}

export const requestId: Check = (value, at) => (isRequestId(value) ? null : problem(at, 'a positive whole number', value));

export function exactly(expected: string | number): Check {
  return (value, at) => (value === expected ? null : problem(at, JSON.stringify(expected), value));
}

export function oneOf(options: readonly string[]): Check {
  return (value, at) => (isOneOf(value, options) ? null : problem(at, `one of ${options.join(', ')}`, value));
}

export function listOf(item: Check, maxLength: number, minLength = 0): Check {
  return (value, at) => {
    if (!Array.isArray(value)) return problem(at, 'a list', value);
    if (value.length < minLength || value.length > maxLength) return `${at} must hold ${minLength === maxLength ? minLength : `${minLength} to ${maxLength}`} items (got ${value.length})`;
    for (let i = 0; i < value.length; i++) {
      const found = item(value[i], `${at}[${i}]`);
      if (found) return found;
    }
    return null;
  };
}

/**
 * An object with exactly these own keys: every required one, any of the optional ones, nothing
 * else (so `__proto__`, `constructor` or a stray field is refused, never carried along). An
 * optional key holding undefined counts as absent, as it does once serialized.
 */
export function shape(required: Record<string, Check>, optional: Record<string, Check> = {}): Check {
  return (value, at) => {
    if (!isRecord(value)) return problem(at, 'an object', value);
    for (const key of Object.keys(value)) {
      if (!Object.hasOwn(required, key) && !Object.hasOwn(optional, key)) return `${at} has an unknown field ${describeValue(key)}`;
    }
    for (const [key, check] of Object.entries(required)) {
      if (!Object.hasOwn(value, key)) return `${at}.${key} is missing`;
      const found = check(value[key], `${at}.${key}`);
      if (found) return found;
    }
    for (const [key, check] of Object.entries(optional)) {
      if (!Object.hasOwn(value, key) || value[key] === undefined) continue;
      const found = check(value[key], `${at}.${key}`);
      if (found) return found;
    }
    return null;
  };
}

/** null, or a value that fits `check` (a field that is always sent, and null when it does not apply). */
export function orNull(check: Check): Check {
  return (value, at) => (value === null ? null : check(value, at));
}

/** Every check in turn, the first problem found: a rule across fields on top of a shape. */
export function allOf(...checks: Check[]): Check {
  return (value, at) => {
    for (const check of checks) {
      const found = check(value, at);
      if (found) return found;
    }
    return null;
  };
}

/** A rule a hand-written guard decides, used after a shape has checked every field. */
export function satisfies(isValid: (value: unknown) => boolean, expected: string): Check {
  return (value, at) => (isValid(value) ? null : problem(at, expected, value));
}

/** One of several shapes, chosen by the string in `key` (a discriminated union). */
export function variants(key: string, byKind: Record<string, Check>): Check {
  const kinds = Object.keys(byKind);
  return (value, at) => {
    if (!isRecord(value)) return problem(at, 'an object', value);
    const kind = Object.hasOwn(value, key) ? value[key] : undefined;
    if (!isOneOf(kind, kinds)) return problem(`${at}.${key}`, `one of ${kinds.join(', ')}`, kind);
    return byKind[kind](value, at);
  };
}

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

/**
 * The guard of one direction of a message edge: an object whose own `type` names one of
 * `shapes`, and that fits that shape exactly. Anything else is refused with a sentence.
 */
export function parseMessage<T>(raw: unknown, shapes: Readonly<Record<string, Check>>): ParseResult<T> {
  if (!isRecord(raw)) return { ok: false, error: 'message is not an object' };
  const type = Object.hasOwn(raw, 'type') ? raw.type : undefined;
  if (typeof type !== 'string' || !Object.hasOwn(shapes, type)) return { ok: false, error: `unknown message type ${describeValue(type)}` };
  const found = shapes[type](raw, type);
  return found ? { ok: false, error: found } : { ok: true, message: raw as T };
}
