// A number field's allowed interval, written once and read three ways: whether a value is in it,
// how a message says it ("more than 0 and at most 1"), and as JSON Schema bounds for the editor.

export interface NumberRange {
  min?: number;
  /** The value min itself is outside. */
  minExclusive?: boolean;
  max?: number;
  maxExclusive?: boolean;
}

export function inRange(value: number, range: NumberRange): boolean {
  if (!Number.isFinite(value)) return false;
  if (range.min !== undefined && (range.minExclusive ? value <= range.min : value < range.min)) return false;
  if (range.max !== undefined && (range.maxExclusive ? value >= range.max : value > range.max)) return false;
  return true;
}

/** "more than 0 and at most 1", "at least 0 and less than 1", "more than 0". */
export function describeRange(range: NumberRange): string {
  const bounds = [
    ...(range.min !== undefined ? [`${range.minExclusive ? 'more than' : 'at least'} ${range.min}`] : []),
    ...(range.max !== undefined ? [`${range.maxExclusive ? 'less than' : 'at most'} ${range.max}`] : []),
  ];
  return bounds.join(' and ');
}

/** The range as JSON Schema keywords (minimum / exclusiveMinimum, maximum / exclusiveMaximum). */
export function rangeSchema(range: NumberRange): Record<string, number> {
  return {
    ...(range.min !== undefined ? { [range.minExclusive ? 'exclusiveMinimum' : 'minimum']: range.min } : {}),
    ...(range.max !== undefined ? { [range.maxExclusive ? 'exclusiveMaximum' : 'maximum']: range.max } : {}),
  };
}
