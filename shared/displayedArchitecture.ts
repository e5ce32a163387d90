// Which architecture the panel draws. The trainer's report is the truth once a trainer has
// started; before that the panel draws the shared spec the trainer will build, so a freshly
// opened panel already shows the network instead of an empty page.
import { seedResNetArchitecture } from '../shared/architecture';
import { computeModelFigures } from '../shared/modelFigures';
import type { ArchitectureReport } from '../shared/trainingReports';
import type { SessionSnapshot } from '../shared/webviewProtocol';

export interface DisplayedArchitecture {
  report: ArchitectureReport;
}

let specFallback: ArchitectureReport | null = null;

export function displayedArchitecture(snapshot: SessionSnapshot | null): DisplayedArchitecture {
  if (snapshot?.architecture) return { report: snapshot.architecture };
  if (!specFallback) {
    const spec = seedResNetArchitecture();
    specFallback = { spec, figures: computeModelFigures(spec) };
  }
  return { report: specFallback };
}

/** A key that changes only when the drawn network changes, so views rebuild only then. */
export function architectureKey(report: ArchitectureReport): string {
  return JSON.stringify(report.figures.blocks.map((b) => [b.id, b.outputShape, b.params]));
}
