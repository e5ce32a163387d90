// Where the e2e harness finds things and puts things, and the one default wait every helper uses.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folder of the e2e tests (`<repo>/e2e`). */
export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Root of the repository. */
export const REPO_ROOT = path.resolve(E2E_DIR, '..');
/** Where logs and screenshots go (git-ignored). */
export const TEST_RESULTS_DIR = path.join(REPO_ROOT, 'test-results');
/** code-server's CLI entry point inside e2e/node_modules. */
export const CODE_SERVER_ENTRY = path.join(E2E_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
/** Generous default for every wait in the harness (ms). A wait, never a speed assertion. */
export const DEFAULT_WAIT_MS = 120_000;
