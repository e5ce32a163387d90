/**
 * Decompresses a file's bytes when they are gzip data, whatever the file is called.
 *
 * MNIST mirrors hand out both `name` and `name.gz`, and browsers sometimes decompress on
 * download without renaming, so the content's magic bytes decide — not the extension.
 */
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { errorMessage } from '../../shared/errorMessage';
import { MnistDataError } from './mnistDataError';

const gunzipAsync = promisify(gunzip);

/** gzip streams start with 1f 8b; IDX files start with 00 00, so the two never collide. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The largest MNIST file is 47 MB unpacked. The cap keeps a corrupt or hostile .gz from
 * inflating until the process runs out of memory.
 */
export const MAX_GUNZIPPED_BYTES = 128 * 1024 * 1024;

export interface MaybeGunzipped {
  bytes: Uint8Array;
  gunzipped: boolean;
}

export async function gunzipIfGzipped(bytes: Uint8Array, path: string): Promise<MaybeGunzipped> {
  if (!isGzip(bytes)) return { bytes, gunzipped: false };
  try {
    const inflated = await gunzipAsync(bytes, { maxOutputLength: MAX_GUNZIPPED_BYTES });
    return { bytes: inflated, gunzipped: true };
  } catch (err) {
    throw new MnistDataError(path, describeGunzipFailure(err), { cause: err });
  }
}

function describeGunzipFailure(err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  if (code === 'ERR_BUFFER_TOO_LARGE') {
    return `gzip data unpacks to more than ${MAX_GUNZIPPED_BYTES} bytes, far larger than any MNIST file — not an MNIST file`;
  }
  // zlib's own text ("unexpected end of file", "incorrect header check") is kept, but only as
  // the detail behind a sentence a user can act on.
  const detail = errorMessage(err);
  return `gzip data is corrupt or incomplete (zlib: ${detail}) — delete the file and download it again`;
}
