// Turns any thrown value into the text a user should read. Errors we raise on purpose carry
// their own clear message; anything else keeps its message without the stack.
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The message's first line, for a reason quoted inside a sentence (native errors add detail lines). */
export function errorFirstLine(error: unknown): string {
  return errorMessage(error).split('\n')[0]!;
}
