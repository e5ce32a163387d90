// The first place two networks differ, in words a user can find in the file: resume compares the
// checkpoint's network with the one asked for before anything else, and names this difference
// when it refuses.
import type { ArchitectureSpec } from './architecture';
import { isRecord } from './validation';

/** "blocks[4] (res2b).layers[0] (res2b/conv1).filters": indices with the id or name found there. */
function describeStep(path: string, key: string | number, value: unknown): string {
  if (typeof key === 'string') return `${path}${path ? '.' : ''}${key}`;
  const label = isRecord(value) ? (typeof value.id === 'string' ? value.id : typeof value.name === 'string' ? value.name : undefined) : undefined;
  return `${path}[${key}]${label !== undefined ? ` (${label})` : ''}`;
}

const show = (value: unknown): string => (value === undefined ? 'absent' : JSON.stringify(value));

function firstDifference(was: unknown, now: unknown, path: string): string | null {
  if (Array.isArray(was) && Array.isArray(now)) {
    for (let i = 0; i < Math.min(was.length, now.length); i++) {
      const found = firstDifference(was[i], now[i], describeStep(path, i, was[i]));
      if (found) return found;
    }
    return was.length === now.length ? null : `${path} has ${was.length} items in the checkpoint's network and ${now.length} in this one`;
  }
  if (isRecord(was) && isRecord(now)) {
    const keys = [...new Set([...Object.keys(was), ...Object.keys(now)])];
    for (const key of keys) {
      const found = firstDifference(was[key], now[key], describeStep(path, key, was[key]));
      if (found) return found;
    }
    return null;
  }
  return Object.is(was, now) ? null : `${path} is ${show(was)} in the checkpoint's network and ${show(now)} in this one`;
}

/** null when the networks are the same; otherwise the first difference, e.g. "blocks[4] (res2b).layers[2] (res2b/conv3).filters is 256 in the checkpoint's network and 128 in this one". */
export function firstArchitectureDifference(checkpoint: ArchitectureSpec, requested: ArchitectureSpec): string | null {
  return firstDifference(checkpoint, requested, '');
}
