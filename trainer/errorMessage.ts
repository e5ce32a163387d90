// Turns any thrown value into the one line a user should read. Errors we raise on purpose carry
// their own clear message; anything else keeps its message without the stack.
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
