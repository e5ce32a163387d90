// What `dist/export.js --json` prints as its one line on stdout, read by the extension host when
// it runs an export: the types and the guard that accepts the line before anything acts on it.
import { isIntegerIn, isOneOf, isRecord, isShortString } from './validation';

/** What went wrong: no usable checkpoint, or an OUT that exists and is not empty or cannot be written. */
export type ExportProblem = 'checkpoint' | 'output';
export const EXPORT_PROBLEMS: readonly ExportProblem[] = ['checkpoint', 'output'];

/** A SavedModel written. */
export interface ExportedReport {
  event: 'exported';
  out: string;
  /** The checkpoint file the weights came from, and its step. */
  checkpoint: string;
  step: number;
  parameterCount: number;
  /** Size of saved_model.pb. */
  bytes: number;
  /** Set when the latest checkpoint was unusable and the previous one was exported. */
  warning?: string;
}

/** An export refused, with the one line to show. */
export interface ExportFailedReport {
  event: 'failed';
  problem: ExportProblem;
  message: string;
}

export type ExportReport = ExportedReport | ExportFailedReport;

const PATH_LENGTH = 4096;

/** The report in one line of output, or null when the line is not a valid report. */
export function parseExportReport(line: string): ExportReport | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  if (value.event === 'exported') {
    const ok = isShortString(value.out, PATH_LENGTH) && isShortString(value.checkpoint, PATH_LENGTH) && isIntegerIn(value.step, 0, Number.MAX_SAFE_INTEGER)
      && isIntegerIn(value.parameterCount, 1, Number.MAX_SAFE_INTEGER) && isIntegerIn(value.bytes, 1, Number.MAX_SAFE_INTEGER)
      && (value.warning === undefined || isShortString(value.warning));
    return ok ? (value as unknown as ExportedReport) : null;
  }
  if (value.event === 'failed') {
    return isOneOf(value.problem, EXPORT_PROBLEMS) && isShortString(value.message) ? (value as unknown as ExportFailedReport) : null;
  }
  return null;
}
