// The trainable tensors an ArchitectureSpec implies, with their shapes and fan-in, in one stable
// order (block order; kernel before bias; the shortcut before the add). Checkpoints, the
// optimiser state and the inspector all index parameters by this order. Each layer's own
// parameters are its arithmetic's (shared/layerArithmetic.ts), so the figures count the same tensors.
import type { ArchitectureSpec } from '../../shared/architecture';
import { layerArithmetic, type ParameterShape } from '../../shared/layerArithmetic';
import { computeModelFigures } from '../../shared/modelFigures';

export interface ParameterSpec extends ParameterShape {
  /** e.g. "res2a/conv2/kernel", "res2a/add/bias". */
  name: string;
  blockId: string;
  layerName: string;
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
      for (const parameter of layerArithmetic(layer, layerFigures[i]!.inputShape).parameters) {
        specs.push({ ...parameter, name: `${layer.name}/${parameter.role}`, blockId: block.id, layerName: layer.name });
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
