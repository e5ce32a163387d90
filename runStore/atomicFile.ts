// Whole-file writes that a reader never sees half-done: write a temporary file beside the
// target, fsync it, rename it over the target (rename is atomic within one file system).
import * as fs from 'node:fs';
import * as path from 'node:path';

export function writeFileAtomic(file: string, contents: string | Uint8Array): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeFileSync(fd, contents);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}
