// What makes an ArchitectureSpec trainable, beyond its fields' types: every layer fits the shape
// it receives, residual branches meet, names are unique, and the network turns an MNIST image into
// ten logits. Pure and JSON-path based, so the editor (ranges from architectureFile.ts), the CLI
// and the trainer's start-up all report the same problems in the same words.
import type { ArchitectureSpec, BlockSpec, LayerSpec } from './architecture';
import { LAYER_OPS, layerCheck, layerProblems } from './layerKinds';
import { layerFigures, formatShape, type Shape } from './modelFigures';
import { architectureSpec } from './reportShapes';
import { isRecord, type Check } from './validation';

/** Where in the JSON a problem is: object keys and array indices from the root. */
export type JsonPath = (string | number)[];

export interface ArchitectureProblem {
  path: JsonPath;
  message: string;
}

export type ArchitectureCheck = { ok: true; spec: ArchitectureSpec } | { ok: false; problems: ArchitectureProblem[] };

/** The data the trainer feeds any network: MNIST images and digits. */
export const MNIST_INPUT_SHAPE: readonly [number, number, number] = [28, 28, 1];
export const MNIST_CLASSES = 10;

const ROOT = '$';

/** "$.blocks[3].layers[0].filters" (a validation Check's `at`) → ['blocks', 3, 'layers', 0, 'filters']. */
export function pathFromCheckLocation(at: string): JsonPath {
  const path: JsonPath = [];
  for (const match of at.slice(ROOT.length).matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) path.push(match[1] !== undefined ? match[1] : Number(match[2]));
  return path;
}

/**
 * A Check's sentence on the value at `base` as an editor problem: located by its path, worded
 * without it (the squiggle already shows where). A missing key lands on the object that lacks it.
 */
function runCheck(check: Check, value: unknown, base: JsonPath): ArchitectureProblem[] {
  const found = check(value, ROOT);
  if (!found) return [];
  const at = /^(\$\S*?)( is missing| must | has an unknown field |: )/.exec(found);
  if (!at) return [{ path: base, message: found }];
  const path = [...base, ...pathFromCheckLocation(at[1]!)];
  const last = path[path.length - 1];
  if (at[2] === ' is missing') return [{ path: path.slice(0, -1), message: `"${String(last)}" is missing` }];
  if (at[2] === ' has an unknown field ') return [{ path, message: `unknown field ${found.slice(at[0].length)}: remove it` }];
  const subject = typeof last === 'string' ? last : last === undefined ? 'the value' : `item ${last}`;
  return [{ path, message: `${subject}${found.slice(at[1]!.length)}` }];
}

/** Each layer's op and fields, with a sentence per unknown op naming the known ones. */
function layerFieldProblems(value: unknown, path: JsonPath): ArchitectureProblem[] {
  if (!isRecord(value)) return [{ path, message: 'a layer must be an object with an "op"' }];
  const op = value.op;
  if (!LAYER_OPS.includes(op as LayerSpec['op'])) {
    const known = LAYER_OPS.map((o) => `"${o}"`).join(', ');
    return [{ path: Object.hasOwn(value, 'op') ? [...path, 'op'] : path, message: Object.hasOwn(value, 'op') ? `unknown layer ${JSON.stringify(op)}: use one of ${known}` : `a layer needs an "op": one of ${known}` }];
  }
  return runCheck(layerCheck(op as LayerSpec['op']), value, path);
}

/** Every field of every layer, then the spec's own fields: the problems that stop any shape walk. */
function fieldProblems(value: unknown): ArchitectureProblem[] {
  if (!isRecord(value)) return [{ path: [], message: 'an architecture file holds one JSON object with name, inputShape, classes and blocks' }];
  const problems: ArchitectureProblem[] = [];
  if (Array.isArray(value.blocks)) {
    value.blocks.forEach((block, b) => {
      if (!isRecord(block)) return;
      if (Array.isArray(block.layers)) block.layers.forEach((layer, l) => problems.push(...layerFieldProblems(layer, ['blocks', b, 'layers', l])));
      if (isRecord(block.shortcut) && block.shortcut.kind === 'projection' && Object.hasOwn(block.shortcut, 'layer')) {
        problems.push(...layerFieldProblems(block.shortcut.layer, ['blocks', b, 'shortcut', 'layer']));
      }
    });
  }
  // The whole shape last: it also names block and top-level fields (one problem at a time).
  return problems.length > 0 ? problems : runCheck(architectureSpec, value, []);
}

/** Block ids and layer names name parameters and inspector rows: each must be unique. */
function uniquenessProblems(spec: ArchitectureSpec): ArchitectureProblem[] {
  const problems: ArchitectureProblem[] = [];
  const blockIds = new Map<string, number>();
  const layerNames = new Map<string, string>();
  spec.blocks.forEach((block, b) => {
    const first = blockIds.get(block.id);
    if (first !== undefined) problems.push({ path: ['blocks', b, 'id'], message: `block id "${block.id}" is already used by block ${first}: block ids must be unique` });
    else blockIds.set(block.id, b);
    const layers: [LayerSpec, JsonPath][] = block.layers.map((layer, l) => [layer, ['blocks', b, 'layers', l, 'name']]);
    if (block.shortcut?.kind === 'projection') layers.push([block.shortcut.layer, ['blocks', b, 'shortcut', 'layer', 'name']]);
    for (const [layer, path] of layers) {
      const owner = layerNames.get(layer.name);
      if (owner !== undefined) problems.push({ path, message: `layer name "${layer.name}" is already used in block "${owner}": parameters are named after layers, so names must be unique` });
      else layerNames.set(layer.name, block.id);
    }
  });
  return problems;
}

/** The block's own rules: where an add may stand, and that a residual block has its shortcut and add. */
function blockStructureProblems(block: BlockSpec, b: number): ArchitectureProblem[] {
  const problems: ArchitectureProblem[] = [];
  const addAt = block.layers.findIndex((l) => l.op === 'add');
  if (block.kind === 'input') {
    if (block.layers.length > 0) problems.push({ path: ['blocks', b, 'layers'], message: 'the input block stands for the image and has no layers: move these layers into a block of their own' });
    return problems;
  }
  if (block.kind === 'residual') {
    if (!block.shortcut) problems.push({ path: ['blocks', b], message: `residual block "${block.id}" needs a "shortcut": {"kind": "identity"} or {"kind": "projection", "layer": {a conv2d}}` });
    if (addAt !== block.layers.length - 1) problems.push({ path: ['blocks', b, 'layers'], message: `residual block "${block.id}" must end with its "add" layer (main path + shortcut), and have no other` });
    if (block.layers.filter((l) => l.op === 'add').length > 1) problems.push({ path: ['blocks', b, 'layers', block.layers.map((l) => l.op).lastIndexOf('add')], message: 'a residual block has one add, its last layer: remove this one' });
  } else {
    if (block.shortcut) problems.push({ path: ['blocks', b, 'shortcut'], message: `only a residual block has a shortcut: remove it or make "${block.id}" a "residual" block` });
    if (addAt >= 0) problems.push({ path: ['blocks', b, 'layers', addAt], message: `an add layer ends a residual block: make "${block.id}" a "residual" block with a shortcut, or remove the add` });
  }
  if (block.layers.length === 0) problems.push({ path: ['blocks', b, 'layers'], message: `block "${block.id}" has no layers: add one or remove the block` });
  return problems;
}

/**
 * Walks the layers from the image to the logits, checking each against the shape it receives.
 * Stops at the first block whose output shape is unknown (its later problems would only echo it).
 */
function shapeProblems(spec: ArchitectureSpec): ArchitectureProblem[] {
  let shape: Shape = [...spec.inputShape];
  for (const [b, block] of spec.blocks.entries()) {
    const problems: ArchitectureProblem[] = [];
    const blockInput = shape;
    for (const [l, layer] of block.layers.entries()) {
      const path: JsonPath = ['blocks', b, 'layers', l];
      if (layer.op === 'add') {
        problems.push(...residualProblems(block, b, l, blockInput, shape));
        if (problems.length > 0) return problems;
      }
      const found = layerProblems(layer, shape);
      problems.push(...found.map((p) => ({ path: p.field ? [...path, p.field] : [...path, 'op'], message: `${layer.name}: ${p.message}` })));
      if (problems.length > 0) return problems;
      shape = layerFigures(layer, shape).outputShape;
    }
  }
  return logitsProblems(spec, shape);
}

/** The add's two branches: the main path's output and the shortcut's (identity or projection). */
function residualProblems(block: BlockSpec, b: number, l: number, input: Shape, main: Shape): ArchitectureProblem[] {
  const shortcut = block.shortcut;
  if (!shortcut) return [];
  if (shortcut.kind === 'identity') {
    if (formatShape(main) === formatShape(input)) return [];
    const last = [...block.layers.slice(0, l)].reverse().find((x) => x.op === 'conv2d');
    const channels = main[2] !== input[2] && last ? `set ${last.name}'s filters to ${input[2]}` : 'keep the main path\'s map size (stride 1, "same" padding)';
    return [{
      path: ['blocks', b, 'layers', l, 'op'],
      message: `${block.id}: the main path gives ${formatShape(main)} but the identity shortcut passes ${formatShape(input)} unchanged, so they cannot be added: ${channels}, or give the block a projection shortcut`,
    }];
  }
  const layerPath: JsonPath = ['blocks', b, 'shortcut', 'layer'];
  // A 1×1 stride-2 "valid" projection of an even map (ResNet's, basicBlock's) drops the last row
  // by design; its stride is right exactly when its output meets the main path's, checked below.
  const own = layerProblems(shortcut.layer, input).filter((p) => p.field !== 'stride');
  if (own.length > 0) return own.map((p) => ({ path: [...layerPath, p.field ?? 'op'], message: `${shortcut.layer.name}: ${p.message}` }));
  const projected = layerFigures(shortcut.layer, input).outputShape;
  if (formatShape(projected) === formatShape(main)) return [];
  const field = projected[2] !== main[2] ? 'filters' : 'stride';
  const fix = field === 'filters' ? `set its filters to ${main[2]}` : 'give it the stride that makes its map the main path\'s size';
  return [{ path: [...layerPath, field], message: `${block.id}: the projection shortcut gives ${formatShape(projected)} but the main path gives ${formatShape(main)}: ${fix}` }];
}

/** The network must end in one logit per class, from a dense layer (softmax cross-entropy's input). */
function logitsProblems(spec: ArchitectureSpec, output: Shape): ArchitectureProblem[] {
  if (output.length === 1 && output[0] === spec.classes) return [];
  const lastBlock = spec.blocks.length - 1;
  const lastLayer = lastBlock >= 0 ? spec.blocks[lastBlock]!.layers.length - 1 : -1;
  const lastDense = lastLayer >= 0 && spec.blocks[lastBlock]!.layers[lastLayer]!.op === 'dense';
  return [{
    path: lastDense ? ['blocks', lastBlock, 'layers', lastLayer, 'units'] : lastBlock >= 0 ? ['blocks', lastBlock] : ['blocks'],
    message: `the network ends with ${formatShape(output)}, but it must end with ${spec.classes} logits (one per class): ${lastDense ? `set the last dense layer's units to ${spec.classes}` : `end with a flatten block and a dense layer of ${spec.classes} units`}`,
  }];
}

/** MNIST is what the trainer has: 28×28×1 images of ten digits. */
function dataProblems(spec: ArchitectureSpec): ArchitectureProblem[] {
  const problems: ArchitectureProblem[] = [];
  if (formatShape(spec.inputShape) !== formatShape(MNIST_INPUT_SHAPE)) problems.push({ path: ['inputShape'], message: `inputShape must be [${MNIST_INPUT_SHAPE.join(', ')}]: the network trains on MNIST's 28×28 grey images` });
  if (spec.classes !== MNIST_CLASSES) problems.push({ path: ['classes'], message: `classes must be ${MNIST_CLASSES}: MNIST has ten digits` });
  return problems;
}

/** Everything wrong with a would-be spec, or the spec, checked, when nothing is. */
export function checkArchitecture(value: unknown): ArchitectureCheck {
  const fields = fieldProblems(value);
  if (fields.length > 0) return { ok: false, problems: fields };
  const spec = value as ArchitectureSpec;
  const structure = [...dataProblems(spec), ...uniquenessProblems(spec), ...spec.blocks.flatMap((block, b) => blockStructureProblems(block, b))];
  const problems = structure.length > 0 ? structure : shapeProblems(spec);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, spec };
}

/** A spec's problems in one paragraph (for a trainer error or a refused message): "at blocks[4].layers[2]: …". */
export function describeArchitectureProblems(problems: readonly ArchitectureProblem[]): string {
  return problems.map((p) => `${p.path.length > 0 ? `at ${formatJsonPath(p.path)}: ` : ''}${p.message}`).join('; ');
}

export function formatJsonPath(path: JsonPath): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${part}`)).join('');
}
