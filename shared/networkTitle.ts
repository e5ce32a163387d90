// The network named by what it is, from the spec and its figures ("Bottleneck ResNet · 3 residual
// blocks · 13.1 M parameters"), so the panel's title follows the architecture instead of a
// hard-coded label that would go stale when the spec changes.
import type { ArchitectureSpec, BlockSpec } from './architecture';
import type { ModelFigures } from './modelFigures';

/** A bottleneck block's main path is 1×1 → k×k → 1×1 convolutions before its add. */
function isBottleneck(block: BlockSpec): boolean {
  const kernels = block.layers.flatMap((layer) => (layer.op === 'conv2d' ? [layer.kernel] : []));
  return kernels.length === 3 && kernels[0] === 1 && kernels[1]! > 1 && kernels[2] === 1;
}

function family(residual: readonly BlockSpec[], spec: ArchitectureSpec): string {
  if (residual.length > 0) return residual.every(isBottleneck) ? 'Bottleneck ResNet' : 'ResNet';
  return spec.blocks.some((b) => b.layers.some((l) => l.op === 'conv2d')) ? 'Convolutional network' : 'Dense network';
}

/** 13071562 → "13.1 M"; 9034 → "9,034". */
export function shortParameterCount(count: number): string {
  return count >= 1e6 ? `${(count / 1e6).toFixed(1)} M` : Math.round(count).toLocaleString('en-US');
}

export function networkTitle(spec: ArchitectureSpec, figures: ModelFigures): string {
  const residual = spec.blocks.filter((b) => b.kind === 'residual');
  const parts = [family(residual, spec)];
  if (residual.length > 0) parts.push(`${residual.length} residual block${residual.length === 1 ? '' : 's'}`);
  parts.push(`${shortParameterCount(figures.totalParams)} parameters`);
  return parts.join(' · ');
}
