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

/** 83 → "1m 23s"; seconds only under a minute, hours when long. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

