// Which network the panel draws (pure, so unit tests reach it): always the one of the run it shows, and before any run the one
// Train would build. A run's comes with its snapshot (the session sets it when the run starts or
// is opened, and the trainer confirms it in `started`); the next run's is the seed network with
// the settings' keep probability. Where neither is known, nothing is drawn rather than a guess.
import { seedResNetArchitecture } from './architecture';
import { computeModelFigures } from './modelFigures';
import type { SettingsResult } from './trainingConfig';
import type { ArchitectureReport } from './trainingReports';
import type { SessionSnapshot } from './webviewProtocol';

export type DisplayedArchitecture =
  /** whose: the run shown, or the run Train would start. */
  | { report: ArchitectureReport; whose: 'run' | 'nextRun' }
  /** Nothing to draw; why, in a sentence the panel shows in the network's place. */
  | { report: null; reason: string };

/** The next run's network, computed once per keep probability (the figures walk every layer). */
let nextRunReport: { keepProb: number; report: ArchitectureReport } | null = null;

function nextRunNetwork(keepProb: number): ArchitectureReport {
  if (nextRunReport?.keepProb !== keepProb) {
    const spec = seedResNetArchitecture(keepProb);
    nextRunReport = { keepProb, report: { spec, figures: computeModelFigures(spec) } };
  }
  return nextRunReport.report;
}

/** snapshot and nextRun: the host's latest (null until its first snapshot). */
export function displayedArchitecture(snapshot: SessionSnapshot | null, nextRun: SettingsResult | null): DisplayedArchitecture {
  if (!snapshot || !nextRun) return { report: null, reason: 'Waiting for the extension…' };
  if (snapshot.architecture) return { report: snapshot.architecture, whose: 'run' };
  // A run is shown whose network the extension has not been told (one recorded before runs kept
  // their network): the trainer reports it when the run is resumed.
  if (snapshot.state !== 'idle') return { report: null, reason: 'This run\'s network is shown once it is resumed.' };
  if (!nextRun.ok) return { report: null, reason: 'Fix the settings to see the network Train would build.' };
  return { report: nextRunNetwork(nextRun.config.keepProb), whose: 'nextRun' };
}

/**
 * A key that changes only when the drawn network changes, so views rebuild only then. The spec
 * decides every figure, and its titles and fields (a dropout's keep probability) are drawn too.
 */
export function architectureKey(report: ArchitectureReport): string {
  return JSON.stringify([report.spec.inputShape, report.spec.blocks]);
}
