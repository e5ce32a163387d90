// The tfjs model built from the spec matches SEED-MODEL.md, and its initialisation is seeded.
import * as tf from '@tensorflow/tfjs-core';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { seedResNetArchitecture } from '../../shared/architecture';
import { computeModelFigures } from '../../shared/modelFigures';
import { loadBackend } from '../../trainer/backend/loadBackend';
import { checkBuiltModel, measureBuiltModel } from '../../trainer/model/checkBuiltModel';
import { ResNetModel } from '../../trainer/model/resnetModel';

before(async () => { await loadBackend('tensorflow'); });

test('the built model has the seed shapes and 13,071,562 parameters, agreeing with the spec figures', () => {
  const arch = seedResNetArchitecture();
  const model = new ResNetModel(arch, 'he', 1);
  const built = measureBuiltModel(model);
  const shape = (id: string) => built.find((b) => b.id === id)!.outputShape.join('×');
  assert.equal(shape('stem'), '14×14×64');
  assert.equal(shape('res2a'), '14×14×256');
  assert.equal(shape('pool2'), '7×7×256');
  assert.equal(shape('flatten'), '12544');
  assert.equal(shape('fc1'), '1024');
  assert.equal(shape('fc2'), '10');
  assert.equal(model.parameterCount, 13_071_562);
  assert.deepEqual(built.map((b) => b.params), [0, 320, 0, 74_368, 70_272, 70_272, 0, 0, 12_846_080, 0, 10_250]);
  const figures = computeModelFigures(arch);
  assert.equal(figures.totalMacs, 54_651_904);
  assert.doesNotThrow(() => checkBuiltModel(model, figures));
  model.dispose();
});

test('a spec the builder disagrees with is caught', () => {
  const arch = seedResNetArchitecture();
  const model = new ResNetModel(arch, 'he', 1);
  const figures = computeModelFigures(arch);
  figures.blocks[3]!.params += 1;
  assert.throws(() => checkBuiltModel(model, figures), /built model disagrees with its spec at res2a/);
  model.dispose();
});

test('seed initialisation: σ 0.1 truncated at 2σ, biases 0.1; He: σ sqrt(2/fan-in), zero biases', () => {
  const arch = seedResNetArchitecture();
  const seed = new ResNetModel(arch, 'seed', 1);
  const fc1 = seed.paramValues('fc1/dense/kernel');
  const std = Math.sqrt(fc1.reduce((s, x) => s + x * x, 0) / fc1.length);
  assert.ok(Math.abs(std - 0.088) < 0.002, `truncated normal σ0.1 has std ≈ 0.088, got ${std}`);
  assert.ok(fc1.every((x) => Math.abs(x) <= 0.2 + 1e-6), 'truncated at two standard deviations');
  assert.ok(seed.paramValues('res2b/add/bias').every((x) => Math.abs(x - 0.1) < 1e-7));
  seed.dispose();
  const he = new ResNetModel(arch, 'he', 1);
  const conv2 = he.paramValues('res2a/conv2/kernel');
  const heStd = Math.sqrt(conv2.reduce((s, x) => s + x * x, 0) / conv2.length);
  assert.ok(Math.abs(heStd - Math.sqrt(2 / (3 * 3 * 64))) < 0.003, `He σ for fan-in 576 is 0.0589, got ${heStd}`);
  assert.ok(he.paramValues('fc1/dense/bias').every((x) => x === 0));
  he.dispose();
});

test('initialisation is seeded: same seed, same weights; another seed, other weights', () => {
  const arch = seedResNetArchitecture();
  const [a, b, c] = [new ResNetModel(arch, 'he', 5), new ResNetModel(arch, 'he', 5), new ResNetModel(arch, 'he', 6)];
  const w = (m: ResNetModel) => m.paramValues('res2a/conv2/kernel');
  assert.deepEqual(w(a), w(b));
  assert.notDeepEqual(w(a), w(c));
  for (const m of [a, b, c]) m.dispose();
  assert.equal(tf.getBackend(), 'tensorflow');
});

test('a dense init scale multiplies fc1\'s and fc2\'s kernels and nothing else; scale 1 is plain He', () => {
  const arch = seedResNetArchitecture();
  const [plain, one, scaled] = [new ResNetModel(arch, 'he', 3), new ResNetModel(arch, { scheme: 'he', denseScale: 1 }, 3), new ResNetModel(arch, { scheme: 'he', denseScale: 0.25 }, 3)];
  for (const spec of plain.specs) {
    const [p, o, s] = [plain, one, scaled].map((m) => m.paramValues(spec.name));
    assert.deepEqual(o, p, `${spec.name}: scale 1 changes nothing`);
    const dense = spec.layerName === 'fc1/dense' || spec.layerName === 'fc2/dense';
    if (dense && spec.role === 'kernel') s!.forEach((x, i) => assert.ok(Math.abs(x - 0.25 * p![i]!) <= 3e-7 * Math.abs(p![i]!) + 1e-12, `${spec.name}[${i}]`));
    else assert.deepEqual(s, p, `${spec.name} is not scaled`);
  }
  for (const m of [plain, one, scaled]) m.dispose();
});
