// Locations the tests need: the built bundles (npm test builds first) and fresh temp folders.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const projectRoot = path.resolve(__dirname, '..', '..', '..');
export const trainerBundle = path.join(projectRoot, 'dist', 'trainer.js');
export const cliBundle = path.join(projectRoot, 'dist', 'cli.js');
export const exportBundle = path.join(projectRoot, 'dist', 'export.js');
/** The benchmark's Python environment (bench/python/setup_venv.sh): TensorFlow 2.15.1 as a real client. */
export const benchPython = path.join(projectRoot, 'bench', '.venv', 'bin', 'python');

// Every temp folder of one test process lives under one root that is removed when the process
// exits, pass or fail. Checkpoints of the full model are ~150 MB each, so folders left behind by
// repeated runs fill a shared machine's disk (a CI run once died of ENOSPC that way).
let processRoot: string | undefined;

function testProcessRoot(): string {
  if (!processRoot) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'resnet-lab-test-'));
    processRoot = root;
    process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  }
  return processRoot;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(testProcessRoot(), `${prefix}-`));
}
