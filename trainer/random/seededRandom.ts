// A tiny PRNG whose whole state is one 32-bit integer, so a checkpoint can store it and a
// resumed run draws exactly the numbers the uninterrupted run would have drawn.

/** mulberry32: fast, well-distributed for shuffling, state = one uint32. */
export class SeededRandom {
  constructor(private stateValue: number) {
    this.stateValue = stateValue >>> 0;
  }

  get state(): number {
    return this.stateValue;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.stateValue = (this.stateValue + 0x6d2b79f5) >>> 0;
    let t = this.stateValue;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A Fisher–Yates permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = order[i]!;
      order[i] = order[j]!;
      order[j] = tmp;
    }
    return order;
  }
}

/** Mixes a run seed with a purpose and an index into a new 31-bit seed (splitmix-style). */
export function deriveSeed(seed: number, purpose: number, index = 0): number {
  let h = (seed ^ Math.imul(purpose + 1, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

/** Seed purposes, so no two random streams of one run share a seed. */
export const SEED_PURPOSE = { init: 1, dataOrder: 2, dropout: 3, probe: 4 } as const;
