// Reads activation and evaluation statistics the way an engineer would and says what is wrong,
// in words. The CLI prints these; the panel highlights the blocks they name. They flag the seed
// preset's collapse (logits ±60 and confidently wrong, half of fc1 dead, one class predicted
// for everything). Saturation alone is not flagged: a well-trained net is confidently right.
import type { ArchitectureSpec } from './architecture';
import type { ActivationReport, EvaluationReport } from './trainingReports';

export interface Finding {
  blockId: string;
  severity: 'warning' | 'error';
  message: string;
}

/** Probe images confidently wrong (top softmax > 0.99 on the wrong class) that make logits an error. */
export const CONFIDENTLY_WRONG_ERROR = 0.25;
/** Logits this large are worth a warning even when right: the next steps' gradients will be large. */
export const SATURATED_LOGIT = 40;
export const DEAD_RELU_WARNING = 0.4;
export const DEAD_RELU_ERROR = 0.9;
export const COLLAPSED_CLASS_SHARE = 0.9;

const percent = (fraction: number) => `${(fraction * 100).toFixed(0)}%`;

function reluLayers(arch: ArchitectureSpec): Set<string> {
  const names = new Set<string>();
  for (const block of arch.blocks) {
    for (const layer of block.layers) if ('activation' in layer && layer.activation === 'relu') names.add(layer.name);
  }
  return names;
}

export function diagnoseActivations(arch: ArchitectureSpec, report: ActivationReport): Finding[] {
  const findings: Finding[] = [];
  const relu = reluLayers(arch);
  const outputBlock = arch.blocks.at(-1)!.id;
  const nonFinite = report.layers.find((l) => !Number.isFinite(l.std) || !Number.isFinite(l.maxAbs));
  if (nonFinite || !Number.isFinite(report.logits.maxAbs)) {
    findings.push({ blockId: nonFinite?.blockId ?? outputBlock, severity: 'error', message: `non-finite activations${nonFinite ? ` from ${nonFinite.layerName}` : ''}: the run has diverged (NaN or infinity)` });
    return findings;
  }
  const { logits } = report;
  if (logits.confidentlyWrongFraction >= CONFIDENTLY_WRONG_ERROR || logits.maxAbs > SATURATED_LOGIT) {
    findings.push({
      blockId: outputBlock,
      severity: logits.confidentlyWrongFraction >= CONFIDENTLY_WRONG_ERROR ? 'error' : 'warning',
      message: `logits are saturated: std ${logits.std.toFixed(1)}, max |logit| ${logits.maxAbs.toFixed(1)}; ` +
        `${percent(logits.saturatedFraction)} of probe images get a softmax above 0.99 and ${percent(logits.confidentlyWrongFraction)} are confidently wrong. ` +
        'Gradients this large from every image push many ReLUs dead, and training can collapse to one class',
    });
  }
  for (const layer of report.layers) {
    if (!relu.has(layer.layerName) || layer.deadFraction < DEAD_RELU_WARNING) continue;
    findings.push({
      blockId: layer.blockId,
      severity: layer.deadFraction >= DEAD_RELU_ERROR ? 'error' : 'warning',
      message: `${percent(layer.deadFraction)} of ${layer.layerName}'s units are dead: zero for every probe image, so they pass no gradient`,
    });
  }
  return findings;
}

export function diagnoseEvaluation(arch: ArchitectureSpec, evaluation: EvaluationReport): Finding[] {
  const total = evaluation.predictedClassCounts.reduce((a, b) => a + b, 0);
  if (total === 0) return [];
  const top = Math.max(...evaluation.predictedClassCounts);
  if (top / total < COLLAPSED_CLASS_SHARE) return [];
  const cls = evaluation.predictedClassCounts.indexOf(top);
  return [{
    blockId: arch.blocks.at(-1)!.id,
    severity: 'error',
    message: `collapsed: the model calls ${percent(top / total)} of ${evaluation.split} images a "${cls}" (accuracy ${percent(evaluation.accuracy)}, chance is 10%)`,
  }];
}
