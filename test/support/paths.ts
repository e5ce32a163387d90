// Locations the tests need: the built bundles (npm test builds first) and fresh temp folders.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const projectRoot = path.resolve(__dirname, '..', '..', '..');
export const trainerBundle = path.join(projectRoot, 'dist', 'trainer.js');
export const cliBundle = path.join(projectRoot, 'dist', 'cli.js');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `resnet-lab-${prefix}-`));
}
