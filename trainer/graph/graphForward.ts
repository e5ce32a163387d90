// A forward pass as graph nodes, built by walking the spec (layers/walkArchitecture.ts) and
// asking each layer's module for its nodes; a training pass records each op's backward on a
// GraphTape. The training graph (resnetTrainingGraph.ts) and the exported inference graph
// (trainer/export) both build their forward passes here.
import type { ArchitectureSpec } from '../../shared/architecture';
import { computeModelFigures, type LayerFigures } from '../../shared/modelFigures';
import { layerModule } from '../layers/registry';
import type { GraphLayerContext } from '../layers/layerModule';
import { walkArchitecture } from '../layers/walkArchitecture';
import { DT_INT32, type GraphBuilder, type Output } from './graphBuilder';
import { GraphTape, type TapeEntry } from './graphTape';
import { FLOAT_T } from '../layers/graphAttrs';

/** Where a dropout layer's multiplier is fed, and what it must be. */
export interface DropoutInput {
  name: string;
  keepProb: number;
  /** The layer's input shape without the batch: [units] or [height, width, channels]. */
  shape: number[];
}

/** Each layer's shapes by layer name: the static sizes a forward pass's graph needs. */
export function layerFiguresByName(arch: ArchitectureSpec): Map<string, LayerFigures> {
  return new Map(computeModelFigures(arch).blocks.flatMap((b) => b.layers).map((l) => [l.name, l]));
}

export class ForwardBuilder implements GraphLayerContext {
  readonly tape: GraphTape;
  readonly dropoutMultipliers: DropoutInput[] = [];
  /** New values of non-trained tensors (running statistics) that a training step assigns, by name. */
  readonly stateUpdates: { name: string; value: Output }[] = [];

  constructor(
    readonly g: GraphBuilder,
    private readonly prefix: string,
    readonly training: boolean,
    private readonly params: ReadonlyMap<string, Output>,
    /** Each layer's shapes, by layer name (for the static sizes the graph needs). */
    private readonly figures: ReadonlyMap<string, LayerFigures>,
  ) {
    this.tape = new GraphTape(g);
  }

  nodeName(layer: string, op: string): string {
    return `${this.prefix}/${layer}/${op}`;
  }

  gradName(what: string): string {
    return this.tape.gradName(what);
  }

  shapeOf(what: string, x: Output): Output {
    return this.g.node(this.gradName(what), 'Shape', [x], { ...FLOAT_T, out_type: { type: DT_INT32 } });
  }

  record(entry: TapeEntry): Output {
    return this.training ? this.tape.record(entry) : entry.output;
  }

  figure(layerName: string): LayerFigures {
    const figure = this.figures.get(layerName);
    if (!figure) throw new Error(`no figures for layer ${layerName}`);
    return figure;
  }

  param(name: string): Output {
    const p = this.params.get(name);
    if (!p) throw new Error(`no parameter ${name}`);
    return p;
  }

  optionalParam(name: string): Output | undefined {
    return this.params.get(name);
  }

  dropoutMultiplier(layerName: string, keepProb: number, shape: number[]): Output {
    const name = this.g.placeholder(`input/${layerName}/multiplier`, [-1, ...shape]);
    this.dropoutMultipliers.push({ name, keepProb, shape });
    return name;
  }

  updateState(name: string, value: Output): void {
    this.stateUpdates.push({ name, value });
  }

  forward(arch: ArchitectureSpec, images: Output): Output {
    return walkArchitecture(arch, images, { layer: (layer, x, residual) => layerModule(layer).graph(layer, x, residual, this) });
  }
}
