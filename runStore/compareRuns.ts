// Reads runs (from one or more runs folders) into the comparison the panel draws. A run that has
// gone (deleted, or its folder unreadable) is left out rather than failing the comparison.
import { comparedCurves, differingFields, MAX_COMPARED_RUNS, type ComparedRun, type RunComparison } from '../shared/runComparison';
import { runDisplayName } from '../shared/runName';
import type { RunStore } from './runStore';

export interface RunRef {
  store: RunStore;
  id: string;
}

export function compareRuns(refs: readonly RunRef[]): RunComparison | null {
  const runs: ComparedRun[] = [];
  for (const { store, id } of refs.slice(0, MAX_COMPARED_RUNS)) {
    const run = store.get(id);
    if (!run) continue;
    let history;
    try {
      history = store.history(id);
    } catch {
      continue;
    }
    runs.push({
      id, name: runDisplayName(run.manifest), status: run.status, elsewhere: run.lockedElsewhere, config: run.manifest.config, metrics: run.manifest.metrics,
      ...comparedCurves(history.progress, history.evaluations),
    });
  }
  return runs.length === 0 ? null : { runs, differing: differingFields(runs.map((r) => r.config)) };
}
