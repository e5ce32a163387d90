// The dropout mask both engines multiply by: tf.dropout's own multiplier, floor(uniform + keep) /
// keep, drawn from a per-step, per-layer seed so a resumed run draws the same masks. One function,
// so the eager forward pass and the graph engine's fed masks are the same numbers.
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, SEED_PURPOSE } from '../random/seededRandom';

/** Zeros and 1/keepProb for a layer's output of `shape`: the `index`-th dropout layer of the step seeded `stepSeed`. */
export function dropoutMultiplier(shape: number[], keepProb: number, stepSeed: number, index: number): tf.Tensor {
  return tf.tidy(() => {
    // tf.dropout(x, rate = 1 − keepProb) uses keep = 1 − rate; the same float64 round trip keeps
    // the masks identical to it for keep probabilities that do not survive it exactly.
    const keep = 1 - (1 - keepProb);
    const seed = deriveSeed(stepSeed, SEED_PURPOSE.dropout, index);
    return tf.div(tf.floor(tf.add(tf.randomUniform(shape, 0, 1, 'float32', seed), keep)), keep);
  });
}
