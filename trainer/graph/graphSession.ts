// A TensorFlow graph held in its own TF_Session and run from JS: feeds and fetches are tfjs
// tensors, passed by handle (no copies of their data). Running a whole graph lets TensorFlow's
// graph optimiser (Grappler) fuse ops, and costs one call from JS instead of one per op.
import type * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nativeBackend, type NativeBackend } from '../model/nativeBackend';
import { GRAPH_TAG, type GraphBuilder } from './graphBuilder';

export class GraphSession {
  private readonly backend: NativeBackend;
  private id: number | undefined;

  constructor(graph: GraphBuilder) {
    this.backend = nativeBackend();
    // The binding loads graphs only as SavedModels on disk; the loader reads the file whole, so
    // the folder can go at once.
    const dir = mkdtempSync(join(tmpdir(), 'resnet-lab-graph-'));
    try {
      writeFileSync(join(dir, 'saved_model.pb'), graph.toSavedModel());
      this.id = this.backend.binding.loadSavedModel(dir, GRAPH_TAG);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /**
   * Runs the graph once. Fetched tensors belong to the caller; feeds stay the caller's. (On a
   * failed run tfjs-node 4.22's binding does not release its references to the feeds, so their
   * buffers outlive it: harmless for the one-off failures that end a run.)
   */
  run(feeds: ReadonlyArray<readonly [string, tf.Tensor]>, fetches: readonly string[]): tf.Tensor[] {
    if (this.id === undefined) throw new Error('the graph session was closed');
    const outputs = this.backend.binding.runSavedModel(
      this.id,
      this.backend.getInputTensorIds(feeds.map(([, tensor]) => tensor)),
      feeds.map(([name]) => name).join(','),
      fetches.join(','),
    );
    return outputs.map((metadata) => this.backend.createOutputTensor(metadata));
  }

  dispose(): void {
    if (this.id === undefined) return;
    this.backend.binding.deleteSavedModel(this.id);
    this.id = undefined;
  }
}
