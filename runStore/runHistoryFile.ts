// A run's event history as append-only JSON lines (history.jsonl): one line per progress report,
// evaluation and activation snapshot, so a writer (today the extension host or the CLI, later a
// detached trainer) only ever appends, and a reader can follow a running run by re-reading.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { historyEntry, type HistoryEntry } from '../shared/runManifest';
import type { ActivationReport, EvaluationReport, ProgressReport } from '../shared/trainingReports';

export const HISTORY_FILE = 'history.jsonl';

export function appendHistory(dir: string, entries: readonly HistoryEntry[]): void {
  if (entries.length === 0) return;
  // One write per call with O_APPEND: lines from one writer are never interleaved or reordered.
  fs.appendFileSync(path.join(dir, HISTORY_FILE), entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
}

/**
 * A writer killed mid-append leaves a line without its newline; the next session's first
 * append must not be glued onto it (the torn line alone is then skipped by readers).
 */
export function endTornLine(dir: string): void {
  const file = path.join(dir, HISTORY_FILE);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return;
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return;
    const last = Buffer.alloc(1);
    fs.readSync(fd, last, 0, 1, size - 1);
    if (last[0] !== 0x0a) fs.appendFileSync(file, '\n');
  } finally {
    fs.closeSync(fd);
  }
}

export interface StoredHistory {
  progress: ProgressReport[];
  evaluations: EvaluationReport[];
  initialActivations: ActivationReport | null;
  latestActivations: ActivationReport | null;
  /** Lines that were not history entries (torn by a crash mid-write, or foreign), skipped. */
  skippedLines: number;
}

/**
 * Reads a run's history. A missing file is an empty history. After a 'resumed' line, what
 * earlier sessions recorded past its step is dropped: those steps were redone from a checkpoint.
 */
export function readHistory(dir: string): StoredHistory {
  let text = '';
  try {
    text = fs.readFileSync(path.join(dir, HISTORY_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const history: StoredHistory = { progress: [], evaluations: [], initialActivations: null, latestActivations: null, skippedLines: 0 };
  const activations: ActivationReport[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      history.skippedLines += 1;
      continue;
    }
    if (historyEntry(entry, 'entry') !== null) {
      history.skippedLines += 1;
      continue;
    }
    const e = entry as HistoryEntry;
    if (e.kind === 'progress') history.progress.push(e.progress);
    else if (e.kind === 'evaluation') history.evaluations.push(e.evaluation);
    else if (e.kind === 'activations') activations.push(e.activations);
    else {
      history.progress = history.progress.filter((p) => p.step <= e.step);
      history.evaluations = history.evaluations.filter((v) => v.step <= e.step);
      const kept = activations.filter((a) => a.step <= e.step);
      activations.length = 0;
      activations.push(...kept);
    }
  }
  history.initialActivations = activations[0] ?? null;
  history.latestActivations = activations[activations.length - 1] ?? null;
  return history;
}
