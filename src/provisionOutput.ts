// Reads the GPU provisioning script's output (scripts/provision-tensorflow-gpu.mjs) for the
// palette command's progress notification: its own progress lines and its one-line failure.
// No vscode import, so it is unit-tested.

/** "[provision-tensorflow-gpu +12.3s] unpacking …" → "unpacking …"; pip's and g++'s lines → null. */
export function progressMessage(line: string): string | null {
  return /^\[provision-tensorflow-gpu \+[\d.]+s\] (.+)$/.exec(line.trim())?.[1] ?? null;
}

/** "[provision-tensorflow-gpu] Could not download …" → "Could not download …". */
export function failureMessage(line: string): string | null {
  return /^\[provision-tensorflow-gpu\] (.+)$/.exec(line.trim())?.[1] ?? null;
}

/** Splits a stream's chunks into whole lines, keeping a partial line for the next chunk. */
export class LineSplitter {
  private buffered = '';

  push(chunk: string): string[] {
    this.buffered += chunk;
    const lines = this.buffered.split('\n');
    this.buffered = lines.pop() ?? '';
    return lines;
  }

  /** The last line when the stream ends without a newline. */
  end(): string[] {
    const rest = this.buffered;
    this.buffered = '';
    return rest ? [rest] : [];
  }
}
