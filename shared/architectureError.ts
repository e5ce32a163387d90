// A network spec that cannot be built: a shape that does not meet, a feature map that comes out
// empty, a setting out of range. Thrown by the figures (shared/modelFigures.ts) before any tensor
// exists, so the trainer reports it as the spec's fault and never as TensorFlow's.
export class ArchitectureError extends Error {
  constructor(
    /** The layer (or block) at fault, e.g. "res2a/conv1". */
    readonly where: string,
    /** What is wrong and what to change. */
    readonly problem: string,
  ) {
    super(`${where}: ${problem}`);
    this.name = 'ArchitectureError';
  }
}
