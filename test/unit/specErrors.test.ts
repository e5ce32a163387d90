// A spec that cannot be built is reported as the spec's fault, by the layer at fault, on either
// engine; the graph engine never falls back to eager ops for it.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { seedResNetArchitecture, type ArchitectureSpec } from '../../shared/architecture';
import { ArchitectureError } from '../../shared/architectureError';
import { computeModelFigures } from '../../shared/modelFigures';
import { loadBackend } from '../../trainer/backend/loadBackend';
import { constantRateAdam } from '../../trainer/train/adamSettings';
import { createStepEngine } from '../../trainer/train/createStepEngine';

before(async () => { await loadBackend('tensorflow'); });

/** The seed with its blocks edited. */
function seedWith(edit: (arch: ArchitectureSpec) => void): ArchitectureSpec {
  const arch = seedResNetArchitecture();
  edit(arch);
  return arch;
}

const broken: { what: string; arch: ArchitectureSpec; message: RegExp }[] = [
  {
    what: 'a dense layer before the flatten',
    arch: seedWith((a) => { a.blocks.splice(a.blocks.findIndex((b) => b.id === 'flatten'), 1); }),
    message: /^fc1\/dense: dense needs a vector input, got 7×7×256: add a flatten/,
  },
  {
    what: 'a convolution after the flatten',
    arch: seedWith((a) => { a.blocks.find((b) => b.id === 'fc1')!.layers.unshift({ op: 'conv2d', name: 'late', kernel: 3, stride: 1, filters: 4, padding: 'same', bias: true, activation: 'relu' }); }),
    message: /^late: conv2d needs an image-shaped input \(height×width×channels\), got 12544: move it before the flatten/,
  },
  {
    what: 'a VALID pooling window larger than its input',
    arch: seedWith((a) => { a.blocks.find((b) => b.id === 'pool2')!.layers[0] = { op: 'maxPool', name: 'pool2/max', size: 15, stride: 2, padding: 'valid' }; }),
    message: /^pool2\/max: a 15×15 valid window leaves no output from a 14×14 input/,
  },
  // Range problems in the architecture checker's words (one definition: shared/layerKinds.ts).
  { what: 'dropout keeping nothing', arch: seedResNetArchitecture(0), message: /^dropout: keepProb must be more than 0 and at most 1 \(the fraction of units kept while training\), got 0: the seed uses 0\.5$/ },
  { what: 'dropout keeping more than everything', arch: seedResNetArchitecture(1.5), message: /^dropout: keepProb must be more than 0 and at most 1 \(the fraction of units kept while training\), got 1\.5: the seed uses 0\.5$/ },
  {
    what: 'batch norm with no epsilon',
    arch: seedWith((a) => { a.blocks[1]!.layers.push({ op: 'batchNorm', name: 'stem/bn', epsilon: 0, momentum: 0.99, activation: 'none' }); }),
    message: /^stem\/bn: epsilon must be more than 0, got 0: TensorFlow's default is 0\.001$/,
  },
  {
    what: 'batch norm keeping all of its running statistics',
    arch: seedWith((a) => { a.blocks[1]!.layers.push({ op: 'batchNorm', name: 'stem/bn', epsilon: 0.001, momentum: 1, activation: 'none' }); }),
    message: /^stem\/bn: momentum must be at least 0 and less than 1, got 1: Keras's default is 0\.99$/,
  },
  {
    what: 'an unknown layer type',
    arch: seedWith((a) => { (a.blocks[1]!.layers as unknown[])[0] = { op: 'conv3d', name: 'stem/conv' }; }),
    message: /^stem\/conv: unknown layer type "conv3d"/,
  },
];

for (const { what, arch, message } of broken) {
  test(`${what} is a spec error from the figures, and the graph engine does not fall back to eager ops for it`, () => {
    assert.throws(() => computeModelFigures(arch), (error: unknown) => error instanceof ArchitectureError && message.test(error.message));
    const setup = { arch, init: 'he' as const, seed: 1, adam: constantRateAdam(1e-3) };
    assert.throws(() => createStepEngine(setup, 'graph'), (error: unknown) => error instanceof ArchitectureError && message.test(error.message));
    assert.throws(() => createStepEngine(setup, 'eager'), (error: unknown) => error instanceof ArchitectureError && message.test(error.message));
  });
}
