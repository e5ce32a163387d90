// What a user can look at inside a training run: activation statistics on a fixed probe batch
// (the first PROBE_EXAMPLES validation images, compared over time), one block's weight and
// activation statistics, and the window the inside views read the model through.
import * as tf from '@tensorflow/tfjs-core';
import type { ArchitectureSpec } from '../../shared/architecture';
import type { ActivationReport, BlockDetails } from '../../shared/trainingReports';
import { exampleRange, imageBatch, labelBatch } from '../data/batchTensors';
import type { MnistSplit } from '../mnist';
import { probeActivations } from '../stats/activationStats';
import { weightStats } from '../stats/weightStats';
import type { StepEngine } from '../train/stepEngine';
import type { InsideViewSource } from './insideViewSource';

/** The first 256 validation images: a fixed batch whose activations are compared over time. */
export const PROBE_EXAMPLES = 256;

export class RunInspection {
  private readonly probeImages: tf.Tensor4D;
  private readonly probeLabels: tf.Tensor1D;

  constructor(private readonly engine: StepEngine, private readonly validation: MnistSplit) {
    const probe = exampleRange(0, Math.min(PROBE_EXAMPLES, validation.count));
    this.probeImages = imageBatch(validation, probe);
    this.probeLabels = labelBatch(validation, probe);
  }

  /** Activation statistics on the probe batch at the current weights. */
  activations(step: number): ActivationReport {
    return probeActivations(this.engine.model, this.probeImages, this.probeLabels, step);
  }

  /**
   * Holds the current weights aside and returns the function that reports the activations at them
   * (once; later calls do nothing). A run calls it after its first step, so that step (and the
   * first progress a user sees) does not wait for the probe's cold start (eager kernels on 256
   * images: seconds), or at the end if no step was taken.
   */
  activationsHeldAt(step: number, report: (activations: ActivationReport) => void): () => void {
    const { model } = this.engine;
    let held: tf.Tensor[] | undefined = model.parameters.readAll();
    return () => {
      if (!held) return;
      try {
        report(probeActivations(model, this.probeImages, this.probeLabels, step, held));
      } finally {
        tf.dispose(held);
        held = undefined;
      }
    };
  }

  /** Weight statistics of the block's parameters and its layers' activations on the probe batch. */
  describeBlock(spec: ArchitectureSpec, blockId: string, step: number): BlockDetails {
    const block = spec.blocks.find((b) => b.id === blockId);
    if (!block) throw new Error(`There is no block "${blockId}"; blocks are ${spec.blocks.map((b) => b.id).join(', ')}.`);
    const { model } = this.engine;
    const weights = model.specs.flatMap((parameter, i) => {
      if (parameter.blockId !== blockId) return [];
      const values = model.parameters.read(i);
      const stats = weightStats(parameter.name, values);
      values.dispose();
      return [stats];
    });
    const activations = this.activations(step).layers.filter((l) => l.blockId === blockId);
    return { blockId, step, weights, activations };
  }

  /** The inside views' window on the run: current weights, the trainer's forward pass, validation digits. */
  insideView(step: number): InsideViewSource {
    return { model: this.engine.model, logits: (images) => this.engine.logits(images), validation: this.validation, step };
  }

  dispose(): void {
    this.probeImages.dispose();
    this.probeLabels.dispose();
  }
}
