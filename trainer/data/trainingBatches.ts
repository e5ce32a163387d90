// Mini-batches of the training split in a seeded, reshuffled-every-epoch order, as the seed's
// mnist.train.next_batch served them. Each batch's tensors are made from the raw bytes when it is
// taken (batchTensors.ts).
import type * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '../random/seededRandom';
import type { MnistSplit } from '../mnist';
import { imageBatch, targetBatch } from './batchTensors';

/** Where the data order stands: enough to regenerate the rest of the run's batches exactly. */
export interface DataOrderState {
  epoch: number;
  /** Position of the next example in this epoch's permutation. */
  cursor: number;
  /** PRNG state at the start of this epoch; this epoch's permutation is drawn from it. */
  epochRngState: number;
}

export interface Batch {
  images: tf.Tensor4D;
  /** The step's targets: one-hot labels, smoothed when the run asks for label smoothing. */
  oneHotLabels: tf.Tensor2D;
}

export function initialDataOrder(seed: number): DataOrderState {
  return { epoch: 0, cursor: 0, epochRngState: seed >>> 0 };
}

export class TrainingBatches {
  private order: Int32Array;
  private nextEpochRngState: number;
  private current: DataOrderState;

  constructor(private readonly split: MnistSplit, state: DataOrderState, private readonly labelSmoothing = 0) {
    this.current = { ...state };
    const rng = new SeededRandom(state.epochRngState);
    this.order = rng.permutation(split.count);
    this.nextEpochRngState = rng.state;
  }

  get state(): DataOrderState {
    return { ...this.current };
  }

  private startNextEpoch(): void {
    const rng = new SeededRandom(this.nextEpochRngState);
    this.current = { epoch: this.current.epoch + 1, cursor: 0, epochRngState: this.nextEpochRngState };
    this.order = rng.permutation(this.split.count);
    this.nextEpochRngState = rng.state;
  }

  /** The next batch's example indices; crossing an epoch takes the rest and then reshuffles. */
  nextIndices(batchSize: number): Int32Array {
    const indices = new Int32Array(batchSize);
    for (let filled = 0; filled < batchSize;) {
      if (this.current.cursor >= this.order.length) this.startNextEpoch();
      const take = Math.min(batchSize - filled, this.order.length - this.current.cursor);
      indices.set(this.order.subarray(this.current.cursor, this.current.cursor + take), filled);
      this.current.cursor += take;
      filled += take;
    }
    return indices;
  }

  /** Tensors of the next batch; the caller disposes them. */
  next(batchSize: number): Batch {
    const indices = this.nextIndices(batchSize);
    return { images: imageBatch(this.split, indices), oneHotLabels: targetBatch(this.split, indices, this.labelSmoothing) };
  }
}
