// The architecture file's checker: each kind of problem the schema cannot express, with the exact
// range it squiggles (asserted as the text under it and its line:column) and the sentence that
// says what to change. Edits are made with jsonc-parser on the seed's own file, as a user would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, modify, type JSONPath } from 'jsonc-parser';
import { basicBlock, batchNorm, conv, seedResNetArchitecture, type ArchitectureSpec } from '../../shared/architecture';
import { architectureFileText, formatFileProblems, parseArchitectureFile, type FileProblem } from '../../shared/architectureFile';
import { checkArchitecture } from '../../shared/architectureCheck';

const seedText = architectureFileText(seedResNetArchitecture());
const edit = (text: string, path: JSONPath, value: unknown) => applyEdits(text, modify(text, path, value, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));

/** The file's one problem, with the text its range covers. */
function onlyProblem(text: string): FileProblem & { covers: string } {
  const result = parseArchitectureFile(text);
  if (result.ok) throw new assert.AssertionError({ message: 'expected a problem, the file was accepted' });
  assert.equal(result.problems.length, 1, JSON.stringify(result.problems));
  const problem = result.problems[0]!;
  return { ...problem, covers: text.slice(problem.offset, problem.offset + problem.length) };
}

/** 1-based line and column of the n-th (0-based) occurrence of `needle`. */
function positionOf(text: string, needle: string, occurrence = 0): { line: number; column: number } {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) offset = text.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, `${needle} not found`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

test('the seed network\'s file is accepted as the seed spec, and the CLI prints it as two-space JSON', () => {
  const result = parseArchitectureFile(seedText);
  assert.deepEqual(result, { ok: true, spec: seedResNetArchitecture() });
  assert.ok(seedText.startsWith('{\n  "name": "Shallow bottleneck ResNet (seed)",\n  "inputShape": [\n    28,'));
  assert.ok(seedText.endsWith('}\n'));
});

test('residual add whose identity branch differs in shape: on res2b\'s add, saying which filters to set', () => {
  const text = edit(seedText, ['blocks', 4, 'layers', 2, 'filters'], 128);
  const problem = onlyProblem(text);
  assert.equal(problem.covers, '"add"');
  assert.deepEqual({ line: problem.line, column: problem.column }, positionOf(text, '"add"', 1));
  assert.equal(problem.message, 'res2b: the main path gives 14×14×128 but the identity shortcut passes 14×14×256 unchanged, so they cannot be added: set res2b/conv3\'s filters to 256, or give the block a projection shortcut');
});

test('residual add whose identity branch differs in map size (a stride on the main path): asks to keep the size or project', () => {
  const problem = onlyProblem(edit(seedText, ['blocks', 5, 'layers', 0, 'stride'], 2));
  assert.equal(problem.covers, '"add"');
  assert.equal(problem.message, 'res2c: the main path gives 7×7×256 but the identity shortcut passes 14×14×256 unchanged, so they cannot be added: keep the main path\'s map size (stride 1, "same" padding), or give the block a projection shortcut');
});

test('a projection shortcut that gives the wrong channels: on its filters, naming the main path\'s', () => {
  const text = edit(seedText, ['blocks', 3, 'shortcut', 'layer', 'filters'], 64);
  const problem = onlyProblem(text);
  assert.equal(problem.covers, '64');
  assert.deepEqual({ line: problem.line, column: problem.column }, { line: positionOf(text, '"res2a/shortcut"').line + 3, column: 22 });
  assert.equal(problem.message, 'res2a: the projection shortcut gives 14×14×64 but the main path gives 14×14×256: set its filters to 256');
});

test('a stride that leaves a non-integer map: on the stride, with the sizes', () => {
  const text = edit(seedText, ['blocks', 2, 'layers', 0, 'stride'], 3);
  const problem = onlyProblem(text);
  assert.equal(problem.covers, '3');
  assert.equal(problem.message, 'pool1/max: stride 3 does not divide the 14×14 map, so the output would be 4.67 wide: use a stride that divides 14, or change the layers before');
  const valid = onlyProblem(edit(edit(seedText, ['blocks', 1, 'layers', 0, 'padding'], 'valid'), ['blocks', 1, 'layers', 0, 'kernel'], 3));
  assert.equal(valid.covers, '2');
  assert.equal(valid.message, 'stem/conv: stride 2 leaves a 13.50-wide map from 28 with a 3-wide window and "valid" padding: use a stride that divides 25, or "same" padding');
});

test('a pooling window larger than its map with "valid" padding (an empty map): on the size', () => {
  const text = edit(edit(seedText, ['blocks', 6, 'layers', 0, 'padding'], 'valid'), ['blocks', 6, 'layers', 0, 'size'], 15);
  const problem = onlyProblem(text);
  assert.equal(problem.covers, '15');
  assert.equal(problem.message, 'pool2/max: a 15×15 window does not fit the 14×14 map with "valid" padding, leaving an empty map: use a size of at most 14 or "same" padding');
});

test('a dense layer before flatten: on its op, asking for a flatten block before it', () => {
  const spec = seedResNetArchitecture();
  const moved = { ...spec, blocks: [...spec.blocks.slice(0, 7), spec.blocks[8]!, spec.blocks[7]!, ...spec.blocks.slice(9)] };
  const text = architectureFileText(moved);
  const problem = onlyProblem(text);
  assert.equal(problem.covers, '"dense"');
  const op = positionOf(text, '"op": "dense"');
  assert.deepEqual({ line: problem.line, column: problem.column }, { line: op.line, column: op.column + 6 });
  assert.equal(problem.message, 'fc1/dense: a dense layer needs a vector, but it gets the 7×7×256 map: put a flatten (or global average pooling) block before this layer');
});

test('a convolution after flatten: asks to move it before the flatten block', () => {
  const spec = seedResNetArchitecture();
  const moved = { ...spec, blocks: [...spec.blocks.slice(0, 2), ...spec.blocks.slice(7, 8), spec.blocks[2]!, ...spec.blocks.slice(8)] };
  const problem = onlyProblem(architectureFileText(moved));
  assert.equal(problem.covers, '"maxPool"');
  assert.equal(problem.message, 'pool1/max: max pooling needs a height×width×channels map, but it gets a vector of 12544 (after flatten): move this layer before the flatten block');
});

test('dropout keep probability outside (0, 1]: on keepProb, for 0, a negative value and more than 1; 1 is accepted', () => {
  for (const keep of [0, -0.25, 1.5]) {
    const problem = onlyProblem(edit(seedText, ['blocks', 9, 'layers', 0, 'keepProb'], keep));
    assert.equal(problem.covers, String(keep));
    assert.equal(problem.message, `dropout: keepProb must be more than 0 and at most 1 (the fraction of units kept while training), got ${keep}: the seed uses 0.5`);
  }
  assert.equal(parseArchitectureFile(edit(seedText, ['blocks', 9, 'layers', 0, 'keepProb'], 1)).ok, true);
});

test('an unknown layer: on its op, naming the known ones; a layer without op says it needs one', () => {
  const text = edit(seedText, ['blocks', 7, 'layers', 0, 'op'], 'conv3d');
  const problem = onlyProblem(text);
  assert.equal(problem.covers, '"conv3d"');
  assert.equal(problem.message, 'unknown layer "conv3d": use one of "conv2d", "maxPool", "avgPool", "globalAvgPool", "batchNorm", "flatten", "dense", "dropout", "add"');
  const missing = onlyProblem(edit(seedText, ['blocks', 7, 'layers', 0, 'op'], undefined));
  assert.equal(missing.message, 'a layer needs an "op": one of "conv2d", "maxPool", "avgPool", "globalAvgPool", "batchNorm", "flatten", "dense", "dropout", "add"');
});

test('a field of the wrong type, a missing field and a stray field are each named where they are', () => {
  const wrongType = onlyProblem(edit(seedText, ['blocks', 4, 'layers', 0, 'filters'], '64'));
  assert.deepEqual([wrongType.covers, wrongType.message], ['"64"', 'filters must be a whole number from 1 to 1000000 (got "64")']);
  const missing = onlyProblem(edit(seedText, ['blocks', 4, 'layers', 0, 'kernel'], undefined));
  assert.deepEqual([missing.covers, missing.message], ['{', '"kernel" is missing']);
  const stray = onlyProblem(edit(seedText, ['blocks', 4, 'layers', 0, 'dilation'], 2));
  assert.deepEqual([stray.covers.startsWith('{'), stray.message], [true, 'unknown field "dilation": remove it']);
  const top = onlyProblem(edit(seedText, ['classes'], 'ten'));
  assert.deepEqual([top.covers, top.message], ['"ten"', 'classes must be a whole number from 1 to 1000 (got "ten")']);
});

test('a network that does not end in ten logits: on the last dense layer\'s units, or asking for flatten and dense', () => {
  const units = onlyProblem(edit(seedText, ['blocks', 10, 'layers', 0, 'units'], 12));
  assert.deepEqual([units.covers, units.message], ['12', 'the network ends with 12, but it must end with 10 logits (one per class): set the last dense layer\'s units to 10']);
  const spec = seedResNetArchitecture();
  const noHead = onlyProblem(architectureFileText({ ...spec, blocks: spec.blocks.slice(0, 7) }));
  assert.equal(noHead.message, 'the network ends with 7×7×256, but it must end with 10 logits (one per class): end with a flatten block and a dense layer of 10 units');
  const classes = parseArchitectureFile(edit(seedText, ['classes'], 12));
  assert.equal(classes.ok, false);
  assert.deepEqual(!classes.ok && classes.problems.map((p) => p.message), ['classes must be 10: MNIST has ten digits']);
});

test('input shape other than MNIST\'s, duplicate ids and names, and residual blocks without shortcut or add are named', () => {
  const shape = onlyProblem(edit(seedText, ['inputShape', 2], 3));
  assert.deepEqual([shape.covers, shape.message], ['"inputShape"', 'inputShape must be [28, 28, 1]: the network trains on MNIST\'s 28×28 grey images']);
  const duplicateId = onlyProblem(edit(seedText, ['blocks', 5, 'id'], 'res2b'));
  assert.deepEqual([duplicateId.covers, duplicateId.message], ['"res2b"', 'block id "res2b" is already used by block 4: block ids must be unique']);
  const duplicateName = onlyProblem(edit(seedText, ['blocks', 5, 'layers', 0, 'name'], 'res2b/conv1'));
  assert.equal(duplicateName.message, 'layer name "res2b/conv1" is already used in block "res2b": parameters are named after layers, so names must be unique');
  const noShortcut = onlyProblem(edit(seedText, ['blocks', 4, 'shortcut'], undefined));
  assert.equal(noShortcut.message, 'residual block "res2b" needs a "shortcut": {"kind": "identity"} or {"kind": "projection", "layer": {a conv2d}}');
  const spec = seedResNetArchitecture();
  const addInConv = { ...spec, blocks: spec.blocks.map((b) => (b.id === 'stem' ? { ...b, layers: [...b.layers, { op: 'add' as const, name: 'stem/add', bias: true, activation: 'relu' as const }] } : b)) };
  assert.equal(onlyProblem(architectureFileText(addInConv)).message, 'an add layer ends a residual block: make "stem" a "residual" block with a shortcut, or remove the add');
});

test('broken JSON: each syntax error once, at its place; an empty file says what it must hold', () => {
  const torn = parseArchitectureFile(seedText.slice(0, 300));
  assert.equal(torn.ok, false);
  assert.deepEqual(!torn.ok && torn.problems.map((p) => [p.line, p.column, p.message]), [[19, 15, 'invalid JSON: a value is expected here']]);
  const comma = parseArchitectureFile(seedText.replace('"classes": 10,', '"classes": 10'));
  assert.deepEqual(!comma.ok && comma.problems.map((p) => p.message), ['invalid JSON: a comma is expected here']);
  const empty = parseArchitectureFile('');
  assert.deepEqual(!empty.ok && empty.problems.map((p) => [p.line, p.column, p.message]), [[1, 1, 'the file is empty: it must hold one JSON object describing the network']]);
  const array = parseArchitectureFile('[]');
  assert.deepEqual(!array.ok && array.problems.map((p) => p.message), ['an architecture file holds one JSON object with name, inputShape, classes and blocks']);
});

test('problems print as FILE:LINE:COL: message, one per line, as compilers do', () => {
  const problems: FileProblem[] = [
    { message: 'first', offset: 0, length: 1, line: 3, column: 7 },
    { message: 'second', offset: 9, length: 2, line: 12, column: 1 },
  ];
  assert.equal(formatFileProblems('nets/wide.resnet.json', problems), 'nets/wide.resnet.json:3:7: first\nnets/wide.resnet.json:12:1: second');
});

test('a wider res2b (every conv and the identity add kept consistent) is a valid network with its own figures', () => {
  let text = seedText;
  for (const [layer, filters] of [[0, 96], [1, 96]] as const) text = edit(text, ['blocks', 4, 'layers', layer, 'filters'], filters);
  const result = checkArchitecture(JSON.parse(text));
  assert.equal(result.ok, true);
});

/** A small ResNet-18-style network using every newer kind: batch norm, basic blocks (one projected with stride 2), average and global average pooling, elu and tanh. */
function basicBlockNetwork(): ArchitectureSpec {
  return {
    name: 'basic blocks',
    inputShape: [28, 28, 1],
    classes: 10,
    blocks: [
      { id: 'input', kind: 'input', title: 'input', layers: [] },
      { id: 'stem', kind: 'conv', title: 'stem', layers: [conv('stem/conv', 3, 8, 1, 'same', false, 'none'), batchNorm('stem/bn', 'elu')] },
      basicBlock('res1', 8, 1, false, true, 'elu'),
      basicBlock('res2', 16, 2, true, true, 'tanh'),
      { id: 'pool', kind: 'pool', title: 'pool', layers: [{ op: 'avgPool', name: 'pool/avg', size: 2, stride: 2, padding: 'same' }] },
      { id: 'gap', kind: 'pool', title: 'gap', layers: [{ op: 'globalAvgPool', name: 'gap' }] },
      { id: 'logits', kind: 'dense', title: 'logits', layers: [{ op: 'dense', name: 'logits/dense', units: 10, bias: true, activation: 'none' }] },
    ],
  };
}

test('batch norm, basic blocks (a 1×1 stride-2 projection included), average and global average pooling, elu and tanh make a valid file', () => {
  const spec = basicBlockNetwork();
  assert.deepEqual(parseArchitectureFile(architectureFileText(spec)), { ok: true, spec });
});

test('the newer kinds\' problems: batch norm\'s epsilon and momentum, global pooling of a vector, an average window larger than its map', () => {
  const text = architectureFileText(basicBlockNetwork());
  const epsilon = onlyProblem(edit(text, ['blocks', 1, 'layers', 1, 'epsilon'], 0));
  assert.equal(epsilon.covers, '0');
  assert.equal(epsilon.message, 'stem/bn: epsilon must be more than 0, got 0: TensorFlow\'s default is 0.001');
  const momentum = onlyProblem(edit(text, ['blocks', 1, 'layers', 1, 'momentum'], 1));
  assert.equal(momentum.covers, '1');
  assert.equal(momentum.message, 'stem/bn: momentum must be at least 0 and less than 1, got 1: Keras\'s default is 0.99');
  const pooledVector = checkArchitecture({ ...basicBlockNetwork(), blocks: basicBlockNetwork().blocks.flatMap((b) => (b.id === 'gap' ? [b, { ...b, id: 'gap2', layers: [{ op: 'globalAvgPool', name: 'gap2' }] }] : [b])) });
  assert.deepEqual(pooledVector, { ok: false, problems: [{ path: ['blocks', 6, 'layers', 0, 'op'], message: 'gap2: global average pooling needs a height×width×channels map, but it gets a vector of 16 (after flatten): move this layer before the flatten block' }] });
  const wide = onlyProblem(edit(edit(text, ['blocks', 4, 'layers', 0, 'padding'], 'valid'), ['blocks', 4, 'layers', 0, 'size'], 15));
  assert.equal(wide.covers, '15');
  assert.equal(wide.message, 'pool/avg: a 15×15 window does not fit the 14×14 map with "valid" padding, leaving an empty map: use a size of at most 14 or "same" padding');
  const activation = onlyProblem(edit(text, ['blocks', 1, 'layers', 1, 'activation'], 'gelu'));
  assert.equal(activation.covers, '"gelu"');
});
