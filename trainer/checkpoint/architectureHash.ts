// A checkpoint's fingerprint of its network: SHA-256 over the spec with its keys sorted, so the
// same network hashes the same whatever order a file wrote its fields in. Stored beside the spec
// in every checkpoint header, it shows at a glance (and to tools) which network the weights are.
import { createHash } from 'node:crypto';
import type { ArchitectureSpec } from '../../shared/architecture';

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record).sort().filter((key) => record[key] !== undefined).map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** "sha256:…" of the spec's canonical JSON. */
export function architectureHash(spec: ArchitectureSpec): string {
  return `sha256:${createHash('sha256').update(canonicalJson(spec)).digest('hex')}`;
}
