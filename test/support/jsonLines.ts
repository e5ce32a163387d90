// Reads a child's stdout as JSON lines and lets a test wait for the first event that matches.
import type { ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';

export type JsonEvent = Record<string, unknown> & { event: string };

export function jsonEvents(child: ChildProcess): { seen: JsonEvent[]; waitFor: (match: (e: JsonEvent) => boolean) => Promise<JsonEvent> } {
  const seen: JsonEvent[] = [];
  const waiters: { match: (e: JsonEvent) => boolean; resolve: (e: JsonEvent) => void }[] = [];
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    let event: JsonEvent;
    try {
      event = JSON.parse(line) as JsonEvent;
    } catch {
      return;
    }
    seen.push(event);
    for (const w of waiters.splice(0)) (w.match(event) ? w.resolve(event) : waiters.push(w));
  });
  const waitFor = (match: (e: JsonEvent) => boolean) => new Promise<JsonEvent>((resolve, reject) => {
    const found = seen.find(match);
    if (found) return resolve(found);
    waiters.push({ match, resolve });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before the awaited event; saw ${seen.map((e) => e.event).join(', ')}`)));
  });
  return { seen, waitFor };
}
