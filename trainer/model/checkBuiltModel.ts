// Holds the built tfjs model to the figures computed from the spec: each block's real output
// shape (from a forward pass) and real parameter count (from its stored parameters). A mismatch means
// the builder and the spec disagree, and nothing downstream could be trusted.
import * as tf from '@tensorflow/tfjs-core';
import type { ModelFigures } from '../../shared/modelFigures';
import type { ResNetModel } from './resnetModel';

export interface BuiltBlockFigures {
  id: string;
  outputShape: number[];
  params: number;
}

export function measureBuiltModel(model: ResNetModel): BuiltBlockFigures[] {
  const shapes = new Map<string, number[]>();
  tf.tidy(() => {
    const [h, w, c] = model.arch.inputShape;
    model.forward(tf.zeros([1, h, w, c]), {
      training: false,
      // The last layer seen in a block is its output; drop the batch dimension.
      observe: (_layer, blockId, output) => shapes.set(blockId, output.shape.slice(1)),
    });
  });
  return model.arch.blocks.map((block) => ({
    id: block.id,
    outputShape: shapes.get(block.id) ?? [],
    params: model.specs.reduce((sum, spec, i) => sum + (spec.blockId === block.id ? tf.util.sizeFromShape([...model.parameters.shapes[i]!]) : 0), 0),
  }));
}

export function checkBuiltModel(model: ResNetModel, figures: ModelFigures): void {
  const built = measureBuiltModel(model);
  built.forEach((block, i) => {
    const expected = figures.blocks[i]!;
    if (block.outputShape.join() !== expected.outputShape.join() || block.params !== expected.params) {
      throw new Error(`built model disagrees with its spec at ${block.id}: ${block.outputShape.join('×')} with ${block.params} parameters, ` +
        `expected ${expected.outputShape.join('×')} with ${expected.params}`);
    }
  });
}
