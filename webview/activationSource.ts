// Where the inspector's activation statistics come from: the block's live details when they are
// the newest, otherwise the snapshot's latest probe report filtered to the block.
import type { ArchitectureSpec } from '../shared/architecture';
import type { BlockDetails, LayerActivationStats } from '../shared/trainingReports';
import type { SessionSnapshot } from '../shared/webviewProtocol';

export interface BlockActivations {
  layers: LayerActivationStats[];
  step: number;
  /** Probe batch size when known (the snapshot's reports carry it; block details do not). */
  probeExamples: number | null;
  /** The same layers at the run's first step, to compare against. */
  initial: ReadonlyMap<string, LayerActivationStats>;
}

export function blockActivations(blockId: string, snapshot: SessionSnapshot | null, details: BlockDetails | null): BlockActivations | null {
  const latest = snapshot?.latestActivations ?? null;
  const fromSnapshot = latest?.layers.filter((l) => l.blockId === blockId) ?? [];
  const fromDetails = details?.blockId === blockId ? details.activations : [];
  const initial = new Map((snapshot?.initialActivations?.layers ?? []).filter((l) => l.blockId === blockId).map((l) => [l.layerName, l]));
  const useDetails = fromDetails.length > 0 && (fromSnapshot.length === 0 || details!.step >= latest!.step);
  if (useDetails) return { layers: fromDetails, step: details!.step, probeExamples: latest?.probeExamples ?? null, initial };
  if (fromSnapshot.length > 0) return { layers: fromSnapshot, step: latest!.step, probeExamples: latest!.probeExamples, initial };
  return null;
}

/** Layers followed by a ReLU: only there does "dead" mean a unit has stopped learning. */
export function reluLayerNames(spec: ArchitectureSpec): Set<string> {
  const names = new Set<string>();
  for (const block of spec.blocks) for (const layer of block.layers) if ('activation' in layer && layer.activation === 'relu') names.add(layer.name);
  return names;
}
