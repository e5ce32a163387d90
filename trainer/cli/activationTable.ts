// A compact text table of activation statistics: one row per block (its output layer), the
// figures SEED-MODEL.md uses to explain the seed preset's collapse.
import type { ActivationReport } from '../../shared/trainingReports';

export function activationTable(report: ActivationReport): string {
  const lastPerBlock = new Map<string, ActivationReport['layers'][number]>();
  for (const layer of report.layers) lastPerBlock.set(layer.blockId, layer);
  const rows = [...lastPerBlock.values()].map((l) =>
    `  ${l.blockId.padEnd(8)} ${l.mean.toFixed(3).padStart(9)} ${l.std.toFixed(3).padStart(9)} ${l.maxAbs.toFixed(2).padStart(9)} ${(l.zeroFraction * 100).toFixed(1).padStart(7)}% ${(l.deadFraction * 100).toFixed(1).padStart(7)}%`);
  const { logits } = report;
  return [
    `  activations on ${report.probeExamples} validation images at step ${report.step}:`,
    `  ${'block'.padEnd(8)} ${'mean'.padStart(9)} ${'std'.padStart(9)} ${'max|x|'.padStart(9)} ${'zeros'.padStart(8)} ${'dead'.padStart(8)}`,
    ...rows,
    `  logits: std ${logits.std.toFixed(2)}, max |logit| ${logits.maxAbs.toFixed(2)}, mean top softmax ${logits.meanMaxSoftmax.toFixed(3)}, ` +
      `${(logits.saturatedFraction * 100).toFixed(1)}% of images saturated (top softmax > 0.99), ${(logits.confidentlyWrongFraction * 100).toFixed(1)}% confidently wrong`,
  ].join('\n');
}
