/**
 * The one error the MNIST data layer throws for bad or missing data files.
 *
 * The message is written for the person who has to fix the file: it starts with the file's
 * path and says in plain words what is wrong with it. Lower-level causes (fs, zlib) are kept
 * on `cause` for debugging but never stand alone as the message.
 */
export class MnistDataError extends Error {
  override readonly name = 'MnistDataError';
  /** The file (or folder) the problem is about, for callers that want to point at it. */
  readonly file: string;

  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`${file}: ${problem}`, options);
    this.file = file;
  }
}
