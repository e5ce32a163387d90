// The trained network as a self-contained inference graph for other TensorFlow clients: the
// forward pass of the training graph (dropout off) with every parameter baked in as a constant,
// then a softmax. Constants need no variables/ checkpoint in the SavedModel, so any loader that
// reads saved_model.pb gets the whole model: Python's tf.saved_model.load, tfjs-node's
// tf.node.loadSavedModel, TensorFlow Serving.
import type { ArchitectureSpec } from '../../shared/architecture';
import type { NamedTensorData } from '../checkpoint/checkpointFormat';
import { DT_FLOAT, GraphBuilder, type Output, type Signature } from '../graph/graphBuilder';
import { ForwardBuilder, layerFiguresByName } from '../graph/graphForward';
import { parameterSpecs } from '../model/parameterSpecs';

/** The tag and signature key TensorFlow's tools and loaders look for by default. */
export const SERVING_TAG = 'serve';
export const SERVING_SIGNATURE = 'serving_default';
const PREDICT_METHOD = 'tensorflow/serving/predict';
/** The signature's input and output keys, also the names of their graph nodes. */
export const INPUT_KEY = 'images';
export const OUTPUT_KEY = 'probabilities';

export class WeightsMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WeightsMismatchError';
  }
}

export interface InferenceGraph {
  graph: GraphBuilder;
  signature: Signature;
  parameterCount: number;
}

/**
 * images float32 [batch, 28, 28, 1], pixels in [0, 1] as the trainer feeds them (white digit on
 * black) → probabilities float32 [batch, classes]. `weights` must hold every parameter the
 * architecture has, by name and shape (a checkpoint's tensors; Adam's moments are ignored).
 */
export function buildInferenceGraph(arch: ArchitectureSpec, weights: ReadonlyMap<string, NamedTensorData>): InferenceGraph {
  const g = new GraphBuilder();
  const params = new Map<string, Output>();
  let parameterCount = 0;
  for (const spec of parameterSpecs(arch)) {
    const stored = weights.get(spec.name);
    if (!stored) throw new WeightsMismatchError(`has no tensor ${spec.name}; it was made for another architecture`);
    if (stored.shape.join() !== spec.shape.join()) {
      throw new WeightsMismatchError(`${spec.name} has shape ${stored.shape.join('×')}, the model needs ${spec.shape.join('×')}`);
    }
    params.set(spec.name, g.floatTensorConst(`weights/${spec.name}`, spec.shape, stored.data));
    parameterCount += stored.data.length;
  }
  const images = g.placeholder(INPUT_KEY, [-1, ...arch.inputShape]);
  const logits = new ForwardBuilder(g, 'model', false, params, layerFiguresByName(arch)).forward(arch, images);
  const probabilities = g.node(OUTPUT_KEY, 'Softmax', [logits], { T: { type: DT_FLOAT } });
  const signature: Signature = {
    inputs: { [INPUT_KEY]: { output: images, dtype: DT_FLOAT, shape: [-1, ...arch.inputShape] } },
    outputs: { [OUTPUT_KEY]: { output: probabilities, dtype: DT_FLOAT, shape: [-1, arch.classes] } },
    methodName: PREDICT_METHOD,
  };
  return { graph: g, signature, parameterCount };
}
