// Runs side by side, as the host sends them to the panel: each run's curves (thinned), its
// config and final metrics, and which config fields differ between them. Pure; the shape is the
// webview's guard on the comparison message.
import { runId, runMetrics, type RunMetrics, STORED_RUN_STATUSES, type StoredRunStatus } from './runManifest';
import { trainingConfig } from './reportShapes';
import { PRESETS, type TrainingConfig } from './trainingConfig';
import type { EvaluationReport, ProgressReport } from './trainingReports';
import { allOf, boolean, integer, isRecord, listOf, oneOf, satisfies, shape, statistic, text, type Check } from './validation';

/** Runs a comparison holds at most (colours stay distinguishable). */
export const MAX_COMPARED_RUNS = 8;
/** Points per curve at most: longer histories are thinned, keeping the first and the latest. */
export const MAX_COMPARED_POINTS = 1000;

export interface ComparedRun {
  id: string;
  name: string;
  status: StoredRunStatus;
  /** Being trained by another window or a terminal (the comparison follows it live). */
  elsewhere: boolean;
  config: TrainingConfig;
  metrics: RunMetrics;
  /** Columns: step, loss, batch accuracy (0–1). */
  steps: number[];
  loss: (number | null)[];
  batchAccuracy: (number | null)[];
  /** Columns: step, validation accuracy (0–1). */
  validationSteps: number[];
  validationAccuracy: (number | null)[];
}

export interface RunComparison {
  runs: ComparedRun[];
  /** Config fields whose values are not the same for every run. */
  differing: (keyof TrainingConfig)[];
}

export const CONFIG_FIELDS = Object.keys(PRESETS.default) as (keyof TrainingConfig)[];

export function differingFields(configs: readonly TrainingConfig[]): (keyof TrainingConfig)[] {
  return CONFIG_FIELDS.filter((field) => configs.some((config) => config[field] !== configs[0]![field]));
}

function thin<T>(items: readonly T[]): T[] {
  if (items.length <= MAX_COMPARED_POINTS) return [...items];
  // At most MAX - 1 multiples of the stride, plus the latest point.
  const stride = Math.ceil((items.length - 1) / (MAX_COMPARED_POINTS - 2));
  return items.filter((_, i) => i % stride === 0 || i === items.length - 1);
}

const finiteOrNull = (value: number) => (Number.isFinite(value) ? value : null);

/** One run's columns from its history. */
export function comparedCurves(progress: readonly ProgressReport[], evaluations: readonly EvaluationReport[]): Pick<ComparedRun, 'steps' | 'loss' | 'batchAccuracy' | 'validationSteps' | 'validationAccuracy'> {
  const points = thin(progress);
  const validation = thin(evaluations.filter((e) => e.split === 'validation'));
  return {
    steps: points.map((p) => p.step), loss: points.map((p) => finiteOrNull(p.loss)), batchAccuracy: points.map((p) => finiteOrNull(p.batchAccuracy)),
    validationSteps: validation.map((e) => e.step), validationAccuracy: validation.map((e) => finiteOrNull(e.accuracy)),
  };
}

const count = integer(0, Number.MAX_SAFE_INTEGER);
const column = (item: Check) => listOf(item, MAX_COMPARED_POINTS);

/** Every column of a curve as long as its steps: uPlot reads them side by side. */
const alignedColumns = satisfies((value) => isRecord(value)
  && [value.loss, value.batchAccuracy].every((c) => Array.isArray(c) && Array.isArray(value.steps) && c.length === value.steps.length)
  && Array.isArray(value.validationAccuracy) && Array.isArray(value.validationSteps) && value.validationAccuracy.length === value.validationSteps.length,
'columns as long as their steps');

export const comparedRun = allOf(shape({
  id: runId, name: text(256), status: oneOf(STORED_RUN_STATUSES), elsewhere: boolean, config: trainingConfig, metrics: runMetrics,
  steps: column(count), loss: column(statistic), batchAccuracy: column(statistic), validationSteps: column(count), validationAccuracy: column(statistic),
}), alignedColumns);

export const runComparison = shape({ runs: listOf(comparedRun, MAX_COMPARED_RUNS, 1), differing: listOf(oneOf(CONFIG_FIELDS), CONFIG_FIELDS.length) });
