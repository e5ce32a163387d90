// The panel names the network from its spec: family, residual blocks and parameter count.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seedResNetArchitecture, type ArchitectureSpec } from '../../shared/architecture';
import { computeModelFigures } from '../../shared/modelFigures';
import { networkTitle, shortParameterCount } from '../../shared/networkTitle';

const titleOf = (spec: ArchitectureSpec) => networkTitle(spec, computeModelFigures(spec));

test('the seed network is named by what it is, with its parameter count from the figures', () => {
  const spec = seedResNetArchitecture();
  assert.equal(computeModelFigures(spec).totalParams, 13_071_562);
  assert.equal(titleOf(spec), 'Bottleneck ResNet · 3 residual blocks · 13.1 M parameters');
});

test('the title follows the spec: fewer residual blocks, fewer parameters', () => {
  const spec = seedResNetArchitecture();
  const twoBlocks = { ...spec, blocks: spec.blocks.filter((b) => b.id !== 'res2c') };
  // res2c holds 70,272 parameters: 16,448 + 36,928 + 16,640 in its convs, 256 in the add's bias.
  assert.equal(computeModelFigures(twoBlocks).totalParams, 13_001_290);
  assert.equal(titleOf(twoBlocks), 'Bottleneck ResNet · 2 residual blocks · 13.0 M parameters');
  const oneBlock = { ...spec, blocks: spec.blocks.filter((b) => b.id !== 'res2b' && b.id !== 'res2c') };
  assert.match(titleOf(oneBlock), /^Bottleneck ResNet · 1 residual block · /);
});

test('residual blocks that are not 1×1 → k×k → 1×1 make a plain ResNet; none at all, a convolutional network', () => {
  const spec = seedResNetArchitecture();
  const plain = {
    ...spec,
    blocks: spec.blocks.map((b) => (b.kind === 'residual' ? { ...b, layers: b.layers.filter((l) => l.name !== `${b.id}/conv1`) } : b)),
  };
  assert.match(titleOf(plain), /^ResNet · 3 residual blocks · /);
  const noResidual = { ...spec, blocks: spec.blocks.filter((b) => b.kind !== 'residual') };
  assert.match(titleOf(noResidual), /^Convolutional network · [\d.]+ M parameters$/);
});

test('small parameter counts are written out in full', () => {
  assert.equal(shortParameterCount(9034), '9,034');
  assert.equal(shortParameterCount(1_000_000), '1.0 M');
});
