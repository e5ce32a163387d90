// A run in the run store, as its run.json and history.jsonl describe it: pure types and the
// shape checks every reader applies (a run folder may have been copied from another machine,
// half-written, or be something else entirely, so nothing in it is trusted unchecked).
import type { ArchitectureSpec } from './architecture';
import { activationReport, architectureSpec, evaluationReport, progressReport, trainingConfig } from './reportShapes';
import type { TrainingConfig } from './trainingConfig';
import type { ActivationReport, EvaluationReport, ProgressReport } from './trainingReports';
import { exactly, finiteNumber, integer, oneOf, shape, text, variants, type Check } from './validation';

export const RUN_MANIFEST_VERSION = 1;

/** What run.json says. A 'running' run whose lock is stale is shown as crashed. */
export type StoredRunStatus = 'running' | 'stopped' | 'finished' | 'crashed';
export const STORED_RUN_STATUSES: readonly StoredRunStatus[] = ['running', 'stopped', 'finished', 'crashed'];

/** The run's figures as of its last update; null where the run has not measured it (yet). */
export interface RunMetrics {
  stepsDone: number;
  bestValidationAccuracy: number | null;
  finalValidationAccuracy: number | null;
  testAccuracy: number | null;
  imagesPerSec: number | null;
  /** Wall time across every session of the run (start or resume to its end). */
  wallSec: number | null;
  peakRssMb: number | null;
  /** Share of fc1's units dead on the probe batch at the latest activation report. */
  fc1DeadFraction: number | null;
}

export interface RunManifest {
  version: typeof RUN_MANIFEST_VERSION;
  id: string;
  /** The user's name for the run; null: the name generated from its config (runName.ts). */
  name: string | null;
  config: TrainingConfig;
  /** The architecture the run trained, as a spec (not a reference: the spec may change later). */
  architecture: ArchitectureSpec;
  status: StoredRunStatus;
  /** ISO times. endedAt: of the latest session, null while one runs. */
  createdAt: string;
  endedAt: string | null;
  /** 'graph' or 'eager' where the writer knows it. */
  engine: string | null;
  backend: string | null;
  /** Which front end made it, and on which machine. */
  origin: { tool: 'extension' | 'cli'; host: string };
  /** Why the run crashed, in words. */
  error: string | null;
  metrics: RunMetrics;
}

export const emptyRunMetrics = (): RunMetrics => ({
  stepsDone: 0, bestValidationAccuracy: null, finalValidationAccuracy: null, testAccuracy: null, imagesPerSec: null, wallSec: null, peakRssMb: null, fc1DeadFraction: null,
});

const count = integer(0, Number.MAX_SAFE_INTEGER);
const figure: Check = (value, at) => (value === null ? null : finiteNumber(value, at));
const maybeText = (max: number): Check => (value, at) => (value === null ? null : text(max)(value, at));
/** Run ids are folder names: letters, digits, dash, underscore, dot (not leading). */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const runId: Check = (value, at) => (typeof value === 'string' && RUN_ID_PATTERN.test(value) ? null : `${at} must be a run id (letters, digits, . _ -)`);

export const runMetrics = shape({
  stepsDone: count, bestValidationAccuracy: figure, finalValidationAccuracy: figure, testAccuracy: figure, imagesPerSec: figure, wallSec: figure, peakRssMb: figure, fc1DeadFraction: figure,
});

export const runManifest = shape({
  version: exactly(RUN_MANIFEST_VERSION), id: runId, name: maybeText(200), config: trainingConfig, architecture: architectureSpec,
  status: oneOf(STORED_RUN_STATUSES), createdAt: text(64, 1), endedAt: maybeText(64), engine: maybeText(64), backend: maybeText(256),
  origin: shape({ tool: oneOf(['extension', 'cli']), host: text(256) }), error: maybeText(65536), metrics: runMetrics,
});

/**
 * One line of history.jsonl. 'resumed' marks a new session from a checkpoint: entries after
 * it replace those of earlier sessions past its step (the steps redone after a crash).
 */
export type HistoryEntry =
  | { kind: 'progress'; progress: ProgressReport }
  | { kind: 'evaluation'; evaluation: EvaluationReport }
  | { kind: 'activations'; activations: ActivationReport }
  | { kind: 'resumed'; step: number };

export const historyEntry = variants('kind', {
  progress: shape({ kind: exactly('progress'), progress: progressReport }),
  evaluation: shape({ kind: exactly('evaluation'), evaluation: evaluationReport }),
  activations: shape({ kind: exactly('activations'), activations: activationReport }),
  resumed: shape({ kind: exactly('resumed'), step: count }),
});
