// The diagnosis findings for the current snapshot, grouped by the block they name, so the
// diagram, the table and the inspector all flag the same blocks with the same words.
import { diagnoseActivations, diagnoseEvaluation, type Finding } from '../shared/activationDiagnosis';
import type { ArchitectureSpec } from '../shared/architecture';
import type { EvaluationReport, EvaluationSplit } from '../shared/trainingReports';
import type { SessionSnapshot } from '../shared/webviewProtocol';

export type Severity = Finding['severity'];
export type FindingsByBlock = ReadonlyMap<string, readonly Finding[]>;

export function latestEvaluation(evaluations: readonly EvaluationReport[], split: EvaluationSplit): EvaluationReport | null {
  for (let i = evaluations.length - 1; i >= 0; i--) if (evaluations[i]!.split === split) return evaluations[i]!;
  return null;
}

export function findingsByBlock(spec: ArchitectureSpec, snapshot: SessionSnapshot | null): FindingsByBlock {
  const findings: Finding[] = [];
  if (snapshot?.latestActivations) findings.push(...diagnoseActivations(spec, snapshot.latestActivations));
  // Only the newest evaluation: a validation and a test pass at the same step would otherwise
  // say the same thing twice.
  const newest = snapshot?.evaluations.at(-1);
  if (newest) findings.push(...diagnoseEvaluation(spec, newest));
  const grouped = new Map<string, Finding[]>();
  for (const finding of findings) grouped.set(finding.blockId, [...(grouped.get(finding.blockId) ?? []), finding]);
  return grouped;
}

/** Errors outrank warnings; null when the block has no findings. */
export function worstSeverity(findings: readonly Finding[] | undefined): Severity | null {
  if (!findings || findings.length === 0) return null;
  return findings.some((f) => f.severity === 'error') ? 'error' : 'warning';
}
