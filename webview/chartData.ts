// The snapshot's history turned into uPlot's column format. uPlot wants one shared x column, so
// the accuracy chart's steps are the union of progress and evaluation steps, with gaps as null.
import type uPlot from 'uplot';
import type { EvaluationReport, ProgressReport } from '../shared/trainingReports';

/** Loss is drawn on a log scale, so a non-finite or zero loss becomes a gap. */
export function lossData(progress: readonly ProgressReport[]): uPlot.AlignedData {
  return [progress.map((p) => p.step), progress.map((p) => (Number.isFinite(p.loss) && p.loss > 0 ? p.loss : null))];
}

/** Columns: step, batch accuracy %, validation accuracy %, test accuracy %. */
export function accuracyData(progress: readonly ProgressReport[], evaluations: readonly EvaluationReport[]): uPlot.AlignedData {
  const batch = new Map(progress.map((p) => [p.step, p.batchAccuracy * 100]));
  const validation = new Map(evaluations.filter((e) => e.split === 'validation').map((e) => [e.step, e.accuracy * 100]));
  const test = new Map(evaluations.filter((e) => e.split === 'test').map((e) => [e.step, e.accuracy * 100]));
  const steps = [...new Set([...batch.keys(), ...validation.keys(), ...test.keys()])].sort((a, b) => a - b);
  return [steps, steps.map((s) => batch.get(s) ?? null), steps.map((s) => validation.get(s) ?? null), steps.map((s) => test.get(s) ?? null)];
}
