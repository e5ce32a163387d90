// The trainable tensors an ArchitectureSpec implies, with their shapes and fan-in, in one stable
// order (block order; kernel before bias; the shortcut before the add). Checkpoints, the
// optimiser state and the inspector all index parameters by this order.
import type { ArchitectureSpec } from '../../shared/architecture';
import { computeModelFigures } from '../../shared/modelFigures';

export interface ParameterSpec {
  /** e.g. "res2a/conv2/kernel", "res2a/add/bias". */
  name: string;
  blockId: string;
  layerName: string;
  role: 'kernel' | 'bias';
  shape: number[];
  /** Inputs feeding one output unit: He-normal's σ is sqrt(2 / fanIn). */
  fanIn: number;
}

export function parameterSpecs(arch: ArchitectureSpec): ParameterSpec[] {
  const figures = computeModelFigures(arch);
  const specs: ParameterSpec[] = [];
  arch.blocks.forEach((block, b) => {
    const layerFigures = figures.blocks[b]!.layers;
    const layers = [...block.layers];
    // Figures list the projection shortcut right before the add; mirror that order here.
    if (block.shortcut?.kind === 'projection') layers.splice(layers.findIndex((l) => l.op === 'add'), 0, block.shortcut.layer);
    layers.forEach((layer, i) => {
      const input = layerFigures[i]!.inputShape;
      const add = (role: 'kernel' | 'bias', shape: number[], fanIn: number) =>
        specs.push({ name: `${layer.name}/${role}`, blockId: block.id, layerName: layer.name, role, shape, fanIn });
      if (layer.op === 'conv2d') {
        const inChannels = input[2]!;
        const fanIn = layer.kernel * layer.kernel * inChannels;
        add('kernel', [layer.kernel, layer.kernel, inChannels, layer.filters], fanIn);
        if (layer.bias) add('bias', [layer.filters], fanIn);
      } else if (layer.op === 'dense') {
        add('kernel', [input[0]!, layer.units], input[0]!);
        if (layer.bias) add('bias', [layer.units], input[0]!);
      } else if (layer.op === 'add' && layer.bias) {
        add('bias', [input[input.length - 1]!], 1);
      }
    });
  });
  return specs;
}

/** The names of the parameters of the architecture's dense layers (fc1, fc2): their own learning rate and init scale. */
export function denseParameterNames(arch: ArchitectureSpec): Set<string> {
  const denseLayers = new Set(arch.blocks.flatMap((block) => block.layers.filter((layer) => layer.op === 'dense').map((layer) => layer.name)));
  return new Set(parameterSpecs(arch).filter((spec) => denseLayers.has(spec.layerName)).map((spec) => spec.name));
}
