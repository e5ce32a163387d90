// How numbers read in the panel: thousands separators, M for multiply-adds, true minus signs and
// a fixed number of significant digits so columns of statistics line up.

const MINUS = '\u2212';

/** 13071562 → "13,071,562". */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** 14450688 → "14.45 M". */
export function formatMacs(value: number): string {
  return `${(value / 1e6).toFixed(2)} M`;
}

/** 0.98912 → "98.91%". */
export function formatPercent(fraction: number, digits = 2): string {
  if (!Number.isFinite(fraction)) return '—';
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** A statistic of unknown magnitude: three significant digits, exponent only when tiny or huge. */
export function formatStat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : `${MINUS}∞`;
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  const text = magnitude < 1e-3 || magnitude >= 1e5 ? value.toExponential(2) : value.toPrecision(3);
  return text.replace(/-/g, MINUS);
}

// Shared with the host's status bar and notifications.
export { formatDuration } from '../shared/formatDuration';

