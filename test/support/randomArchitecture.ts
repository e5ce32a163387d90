// A seeded generator of small valid networks over the whole layer vocabulary: stems with and
// without batch norm, max and average pooling, bottleneck and basic residual blocks with identity
// and projection shortcuts and strides 1 and 2, dropout on feature maps and on vectors, flatten or
// global average pooling, every activation. Small enough that a training step takes milliseconds.
import { ACTIVATIONS, basicBlock, batchNorm, bottleneck, conv, type Activation, type ArchitectureSpec, type BlockSpec, type Padding } from '../../shared/architecture';
import { computeModelFigures } from '../../shared/modelFigures';
import { SeededRandom } from '../../trainer/random/seededRandom';

export function randomArchitecture(seed: number): ArchitectureSpec {
  const random = new SeededRandom(seed);
  const pick = <T>(options: readonly T[]): T => options[random.nextInt(options.length)]!;
  const between = (low: number, high: number) => low + random.nextInt(high - low + 1);
  const chance = (p: number) => random.next() < p;
  const activation = (): Activation => pick(ACTIVATIONS);

  const side = pick([6, 8, 9]);
  const inputShape = [side, side, pick([1, 2])] as const;
  const classes = between(2, 5);
  const blocks: BlockSpec[] = [{ id: 'input', kind: 'input', title: 'input', layers: [] }];

  // Stem: a conv, with a batch norm after it (and then no bias) or not.
  const stemNorm = chance(0.4);
  const stemPadding: Padding = pick(['same', 'valid']);
  blocks.push({
    id: 'stem', kind: 'conv', title: 'stem',
    layers: [
      conv('stem/conv', between(1, 3), between(2, 5), between(1, 2), stemPadding, !stemNorm, stemNorm ? 'none' : activation()),
      ...(stemNorm ? [batchNorm('stem/bn', activation())] : []),
    ],
  });
  if (chance(0.5)) {
    const op = pick(['maxPool', 'avgPool'] as const);
    blocks.push({ id: 'pool', kind: 'pool', title: 'pool', layers: [{ op, name: `pool/${op}`, size: between(2, 3), stride: between(1, 2), padding: 'same' }] });
  }

  let channels = computeModelFigures({ name: '', inputShape, classes, blocks }).blocks.at(-1)!.outputShape[2]!;
  const residualBlocks = between(1, 3);
  for (let b = 0; b < residualBlocks; b++) {
    const id = `res${b}`;
    const stride = chance(0.3) ? 2 : 1;
    const basic = chance(0.5);
    const outChannels = basic ? between(2, 6) : between(2, 8);
    // A shortcut must project when the shape changes; otherwise either kind.
    const projection = stride !== 1 || outChannels !== channels || chance(0.3);
    blocks.push(basic
      ? basicBlock(id, outChannels, stride, projection, chance(0.5), activation())
      : bottleneck(id, pick([1, 3]), [between(1, 4), between(1, 4), outChannels], stride, projection));
    channels = outChannels;
    if (chance(0.3)) blocks.push({ id: `${id}-drop`, kind: 'dropout', title: 'dropout', layers: [{ op: 'dropout', name: `${id}/dropout`, keepProb: pick([0.5, 0.8, 1]) }] });
  }

  blocks.push(chance(0.5)
    ? { id: 'flatten', kind: 'flatten', title: 'flatten', layers: [{ op: 'flatten', name: 'flatten' }] }
    : { id: 'gap', kind: 'pool', title: 'global average', layers: [{ op: 'globalAvgPool', name: 'gap' }] });
  if (chance(0.6)) {
    blocks.push({ id: 'fc1', kind: 'dense', title: 'fc1', layers: [{ op: 'dense', name: 'fc1/dense', units: between(3, 8), bias: chance(0.8), activation: activation() }] });
    if (chance(0.5)) blocks.push({ id: 'dropout', kind: 'dropout', title: 'dropout', layers: [{ op: 'dropout', name: 'dropout', keepProb: pick([0.5, 0.7]) }] });
  }
  blocks.push({ id: 'logits', kind: 'dense', title: 'logits', layers: [{ op: 'dense', name: 'logits/dense', units: classes, bias: true, activation: 'none' }] });
  return { name: `random network ${seed}`, inputShape, classes, blocks };
}
