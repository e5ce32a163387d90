// How many log lines the rejection rate limit (shared/rejectionLog.ts) may write for n refused
// messages, worked out independently of it: the first five, then one at 10, 100, 1000, …
export function expectedRejectionLines(n: number): number {
  let lines = Math.min(n, 5);
  for (let total = 10; total <= n; total *= 10) lines += 1;
  return lines;
}
