// A small valid network in the seed's layout (stem, pool, three bottlenecks, pool, flatten, two
// dense), so tests train an architecture-file network in a fraction of the seed's time.
import { seedResNetArchitecture, type ArchitectureSpec, type LayerSpec } from '../../shared/architecture';

const NARROW: Record<string, number> = {
  'stem/conv': 8, 'res2a/conv1': 4, 'res2a/conv2': 4, 'res2a/conv3': 16, 'res2a/shortcut': 16,
  'res2b/conv1': 4, 'res2b/conv2': 4, 'res2b/conv3': 16, 'res2c/conv1': 4, 'res2c/conv2': 4, 'res2c/conv3': 16, 'fc1/dense': 32,
};

function narrow<L extends LayerSpec>(layer: L, widths: Record<string, number>): L {
  const width = widths[layer.name];
  if (width === undefined) return layer;
  return layer.op === 'conv2d' ? { ...layer, filters: width } : layer.op === 'dense' ? { ...layer, units: width } : layer;
}

/** The seed's layout with narrow layers; `widths` overrides any layer's filters or units by name. */
export function smallArchitecture(widths: Record<string, number> = {}): ArchitectureSpec {
  const all = { ...NARROW, ...widths };
  const seed = seedResNetArchitecture();
  return {
    ...seed,
    name: 'Small test ResNet',
    blocks: seed.blocks.map((block) => ({
      ...block,
      layers: block.layers.map((layer) => narrow(layer, all)),
      ...(block.shortcut?.kind === 'projection' ? { shortcut: { kind: 'projection' as const, layer: narrow(block.shortcut.layer, all) } } : {}),
    })),
  };
}
