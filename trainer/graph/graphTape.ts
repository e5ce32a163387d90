// The graph engine's backward pass: each forward op records how to turn the gradient at its
// output into gradients at its inputs; `backward` walks the record in reverse, summing the
// gradients that meet at one tensor (AddN), and returns the gradients of the wanted tensors.
import { DT_FLOAT, type GraphBuilder, type Output } from './graphBuilder';

/** A forward op's backward: given d(output), the gradients of the inputs listed with it (undefined: not needed). */
export interface TapeEntry {
  output: Output;
  inputs: Output[];
  backward(dy: Output, needs: (input: Output) => boolean): (Output | undefined)[];
}

/** The ops recorded by one forward pass, and unique names for the backward nodes. */
export class GraphTape {
  readonly entries: TapeEntry[] = [];
  private gradCount = 0;

  constructor(readonly g: GraphBuilder) {}

  /** A unique name for a backward node. */
  gradName(what: string): string {
    return `grad/${what}_${this.gradCount++}`;
  }

  record(entry: TapeEntry): Output {
    this.entries.push(entry);
    return entry.output;
  }

  /**
   * Reverse pass over the tape: sums each output's incoming gradients and hands them to its op's
   * backward. Returns the gradient of each wanted input (parameters), in order.
   */
  backward(output: Output, dOutput: Output, wanted: readonly Output[]): Output[] {
    const { g } = this;
    const incoming = new Map<Output, Output[]>([[output, [dOutput]]]);
    const neededInputs = new Set<Output>(wanted);
    // An input needs a gradient if it is wanted or is some recorded op's output.
    for (const entry of this.entries) neededInputs.add(entry.output);
    const total = (out: Output): Output | undefined => {
      const parts = incoming.get(out);
      if (!parts || parts.length === 0) return undefined;
      if (parts.length === 1) return parts[0];
      return g.node(this.gradName('AddN'), 'AddN', parts, { T: { type: DT_FLOAT }, N: { i: parts.length } });
    };
    for (const entry of [...this.entries].reverse()) {
      const dy = total(entry.output);
      if (!dy) continue;
      const grads = entry.backward(dy, (input) => neededInputs.has(input));
      entry.inputs.forEach((input, i) => {
        const grad = grads[i];
        if (grad === undefined) return;
        incoming.set(input, [...(incoming.get(input) ?? []), grad]);
      });
    }
    return wanted.map((input) => {
      const grad = total(input);
      if (!grad) throw new Error(`no gradient reaches ${input}`);
      return grad;
    });
  }
}
