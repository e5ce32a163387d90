// The seed network's shapes, parameter counts and multiply-adds, held to SEED-MODEL.md's figures.
// Pure arithmetic over the spec: no TensorFlow is loaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seedResNetArchitecture, type ArchitectureSpec, type BlockSpec, type ConvLayerSpec } from '../../shared/architecture';
import { computeModelFigures, formatShape, type BlockFigures, type LayerFigures } from '../../shared/modelFigures';

const BLOCK_IDS = ['input', 'stem', 'pool1', 'res2a', 'res2b', 'res2c', 'pool2', 'flatten', 'fc1', 'dropout', 'fc2'];

function blockSpec(arch: ArchitectureSpec, id: string): BlockSpec {
  const block = arch.blocks.find((b) => b.id === id);
  if (!block) throw new Error(`no block ${id}`);
  return block;
}

function blockFigures(id: string): BlockFigures {
  const block = computeModelFigures(seedResNetArchitecture()).blocks.find((b) => b.id === id);
  if (!block) throw new Error(`no figures for block ${id}`);
  return block;
}

function projectionLayer(block: BlockSpec): ConvLayerSpec {
  if (block.shortcut?.kind !== 'projection') throw new Error(`${block.id} has no projection shortcut`);
  return block.shortcut.layer;
}

test('the blocks come in the seed order', () => {
  assert.deepEqual(seedResNetArchitecture().blocks.map((b) => b.id), BLOCK_IDS);
  assert.deepEqual(computeModelFigures(seedResNetArchitecture()).blocks.map((b) => b.id), BLOCK_IDS);
});

test('the spec states the input and the classes', () => {
  const arch = seedResNetArchitecture();
  assert.deepEqual([...arch.inputShape], [28, 28, 1]);
  assert.equal(arch.classes, 10);
});

test('every block has the output shape of the SEED-MODEL table', () => {
  const shapes = Object.fromEntries(computeModelFigures(seedResNetArchitecture()).blocks.map((b) => [b.id, b.outputShape]));
  assert.deepEqual(shapes, {
    input: [28, 28, 1],
    stem: [14, 14, 64],
    pool1: [14, 14, 64],
    res2a: [14, 14, 256],
    res2b: [14, 14, 256],
    res2c: [14, 14, 256],
    pool2: [7, 7, 256],
    flatten: [12544],
    fc1: [1024],
    dropout: [1024],
    fc2: [10],
  });
});

test('each block takes the previous block\'s output as its input', () => {
  const blocks = computeModelFigures(seedResNetArchitecture()).blocks;
  assert.deepEqual(blocks[0]!.inputShape, [28, 28, 1]);
  for (let i = 1; i < blocks.length; i++) assert.deepEqual(blocks[i]!.inputShape, blocks[i - 1]!.outputShape, blocks[i]!.id);
});

test('parameters per stage match the computed figures', () => {
  const params = Object.fromEntries(computeModelFigures(seedResNetArchitecture()).blocks.map((b) => [b.id, b.params]));
  assert.deepEqual(params, {
    input: 0,
    stem: 320,
    pool1: 0,
    res2a: 74_368,
    res2b: 70_272,
    res2c: 70_272,
    pool2: 0,
    flatten: 0,
    fc1: 12_846_080,
    dropout: 0,
    fc2: 10_250,
  });
});

test('the model has 13,071,562 parameters, 98.3 % of them in fc1', () => {
  const figures = computeModelFigures(seedResNetArchitecture());
  assert.equal(figures.totalParams, 13_071_562);
  assert.equal(figures.blocks.reduce((sum, b) => sum + b.params, 0), 13_071_562);
  assert.equal(((blockFigures('fc1').params / figures.totalParams) * 100).toFixed(1), '98.3');
});

test('multiply-adds per stage match the computed figures', () => {
  const macs = Object.fromEntries(computeModelFigures(seedResNetArchitecture()).blocks.map((b) => [b.id, b.macs]));
  assert.deepEqual(macs, {
    input: 0,
    stem: 50_176,
    pool1: 0,
    res2a: 14_450_688,
    res2b: 13_647_872,
    res2c: 13_647_872,
    pool2: 0,
    flatten: 0,
    fc1: 12_845_056,
    dropout: 0,
    fc2: 10_240,
  });
});

test('a forward pass costs 54,651,904 multiply-adds = 54.65 M MAC = 109.3 MFLOP per image', () => {
  const figures = computeModelFigures(seedResNetArchitecture());
  assert.equal(figures.totalMacs, 54_651_904);
  assert.equal(figures.blocks.reduce((sum, b) => sum + b.macs, 0), 54_651_904);
  assert.equal((figures.totalMacs / 1e6).toFixed(2), '54.65');
  assert.equal(((2 * figures.totalMacs) / 1e6).toFixed(1), '109.3');
});

test('a block\'s figures are the sums of its layers\' figures', () => {
  for (const block of computeModelFigures(seedResNetArchitecture()).blocks) {
    assert.equal(block.params, block.layers.reduce((sum, l) => sum + l.params, 0), block.id);
    assert.equal(block.macs, block.layers.reduce((sum, l) => sum + l.macs, 0), block.id);
  }
});

test('the stem is a 2×2 stride-2 conv 1→64 with bias and ReLU', () => {
  const [stem] = blockFigures('stem').layers;
  assert.deepEqual(stem, {
    name: 'stem/conv', op: 'conv2d', inputShape: [28, 28, 1], outputShape: [14, 14, 64],
    params: 320, macs: 50_176, detail: '2×2/2 same, 1→64 +bias ReLU',
  });
});

test('the pools keep or halve the spatial size as the seed has them', () => {
  assert.equal(blockFigures('pool1').layers[0]!.detail, 'max 3×3/1 same');
  assert.equal(blockFigures('pool2').layers[0]!.detail, 'max 2×2/2 same');
  assert.equal(blockFigures('flatten').layers[0]!.detail, '7×7×256 → 12544');
  assert.equal(blockFigures('dropout').layers[0]!.detail, 'keep 0.5 while training');
});

test('res2a is a bottleneck with a projection shortcut: conv 1×1/1 VALID, no bias, 64→256', () => {
  const spec = blockSpec(seedResNetArchitecture(), 'res2a');
  assert.deepEqual(projectionLayer(spec), {
    op: 'conv2d', name: 'res2a/shortcut', kernel: 1, stride: 1, filters: 256, padding: 'valid', bias: false, activation: 'none',
  });

  const layers = blockFigures('res2a').layers;
  assert.deepEqual(layers.map((l) => l.name), ['res2a/conv1', 'res2a/conv2', 'res2a/conv3', 'res2a/shortcut', 'res2a/add']);
  const shortcuts = layers.filter((l) => l.shortcut === true);
  assert.equal(shortcuts.length, 1);
  const shortcut: LayerFigures = shortcuts[0]!;
  assert.equal(shortcut.name, 'res2a/shortcut');
  assert.equal(shortcut.op, 'conv2d');
  assert.deepEqual(shortcut.inputShape, [14, 14, 64]);
  assert.deepEqual(shortcut.outputShape, [14, 14, 256]);
  assert.equal(shortcut.params, 64 * 256);
  assert.equal(shortcut.macs, 14 * 14 * 64 * 256);
  assert.ok(shortcut.detail.includes('1×1'), shortcut.detail);
  assert.ok(shortcut.detail.includes('64→256'), shortcut.detail);
  assert.equal(shortcut.detail, '1×1/1 valid, 64→256');
});

test('res2a\'s main path is 1×1 → 3×3 → 1×1 with bias and ReLU, then add + bias + ReLU', () => {
  const byName = Object.fromEntries(blockFigures('res2a').layers.map((l) => [l.name, l]));
  assert.equal(byName['res2a/conv1']!.detail, '1×1/1 same, 64→64 +bias ReLU');
  assert.equal(byName['res2a/conv1']!.params, 64 * 64 + 64);
  assert.equal(byName['res2a/conv2']!.detail, '3×3/1 same, 64→64 +bias ReLU');
  assert.equal(byName['res2a/conv2']!.params, 3 * 3 * 64 * 64 + 64);
  assert.equal(byName['res2a/conv3']!.detail, '1×1/1 same, 64→256 +bias ReLU');
  assert.equal(byName['res2a/conv3']!.params, 64 * 256 + 256);
  assert.equal(byName['res2a/add']!.detail, 'main + shortcut, +bias ReLU');
  assert.equal(byName['res2a/add']!.params, 256);
  assert.equal(byName['res2a/add']!.macs, 0);
  assert.equal(byName['res2a/add']!.shortcut, undefined);
});

test('res2b and res2c have identity shortcuts and no shortcut layer', () => {
  const arch = seedResNetArchitecture();
  for (const id of ['res2b', 'res2c']) {
    assert.deepEqual(blockSpec(arch, id).shortcut, { kind: 'identity' }, id);
    const layers = blockFigures(id).layers;
    assert.deepEqual(layers.map((l) => l.name), [`${id}/conv1`, `${id}/conv2`, `${id}/conv3`, `${id}/add`]);
    assert.equal(layers.filter((l) => l.shortcut === true).length, 0, id);
    assert.equal(layers[0]!.detail, '1×1/1 same, 256→64 +bias ReLU');
  }
});

test('only res2a has a projection shortcut', () => {
  const projections = seedResNetArchitecture().blocks.filter((b) => b.shortcut?.kind === 'projection').map((b) => b.id);
  assert.deepEqual(projections, ['res2a']);
});

test('the dense layers: fc1 12544→1024 with ReLU, fc2 1024→10 logits without', () => {
  assert.equal(blockFigures('fc1').layers[0]!.detail, '12544→1024 +bias ReLU');
  assert.equal(blockFigures('fc2').layers[0]!.detail, '1024→10 +bias');
});

test('a projection with the wrong filter count is a shape mismatch', () => {
  const arch = seedResNetArchitecture();
  projectionLayer(blockSpec(arch, 'res2a')).filters = 128;
  assert.throws(() => computeModelFigures(arch), (err: unknown) => {
    assert.ok(err instanceof Error);
    assert.equal(err.message, 'res2a: shortcut gives 14×14×128 but the main path gives 14×14×256');
    return true;
  });
});

test('a projection with a different stride from the main path is a shape mismatch', () => {
  const arch = seedResNetArchitecture();
  projectionLayer(blockSpec(arch, 'res2a')).stride = 2;
  assert.throws(() => computeModelFigures(arch), {
    message: 'res2a: shortcut gives 7×7×256 but the main path gives 14×14×256',
  });
});

test('an identity block whose main path changes the channels is a shape mismatch', () => {
  const arch = seedResNetArchitecture();
  const conv3 = blockSpec(arch, 'res2b').layers[2]!;
  if (conv3.op !== 'conv2d') throw new Error('expected res2b/conv3 to be a conv');
  conv3.filters = 128;
  assert.throws(() => computeModelFigures(arch), {
    message: 'res2b: an identity shortcut needs equal shapes, got 14×14×256 and 14×14×128',
  });
});

test('computing the figures leaves the spec unchanged', () => {
  const arch = seedResNetArchitecture();
  const before = structuredClone(arch);
  computeModelFigures(arch);
  assert.deepEqual(arch, before);
});

test('formatShape writes shapes with × between dimensions', () => {
  assert.equal(formatShape([14, 14, 256]), '14×14×256');
  assert.equal(formatShape([12544]), '12544');
  assert.equal(formatShape([]), '');
});

test('no TensorFlow module was loaded by these pure modules', () => {
  assert.deepEqual(Object.keys(require.cache).filter((k) => k.includes('@tensorflow')), []);
});
