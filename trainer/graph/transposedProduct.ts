// a · bᵀ computed as (b · aᵀ)ᵀ. A dense layer's input gradient is dy · Wᵀ; with fc1's 12544×1024
// kernel as the transposed operand, oneDNN's MatMul takes a slow path (bench/results/
// WHERE-THE-TIME-GOES.md; 383 ms of a 1,030 ms step with TensorFlow's own gradients, `npm run
// bench:profile -- --batch 32 --gradients tensorflow`), while the transposed operand being the
// small dy, and transposing the [batch, units] result back, cost little. Both gradient sources
// use it: the dense layer's tape backward builds it, and TensorFlow's gradients are rewritten to it.
import { DT_INT32, type AttrValue, type GraphBuilder, type Output } from './graphBuilder';
import { FLOAT_T } from '../layers/graphAttrs';

const matMulAttrs = (transposeA: boolean, transposeB: boolean): Record<string, AttrValue> =>
  ({ ...FLOAT_T, transpose_a: { b: transposeA }, transpose_b: { b: transposeB } });

/** The nodes of (b · aᵀ)ᵀ under `name` (the product b · aᵀ and the permutation beside it). */
function transposedProductNodes(g: GraphBuilder, name: string, a: Output, b: Output): { op: string; inputs: Output[]; attrs: Record<string, AttrValue> } {
  const swapped = g.node(`${name}/swapped`, 'MatMul', [b, a], matMulAttrs(false, true));
  return { op: 'Transpose', inputs: [swapped, g.int32Const(`${name}/perm`, [1, 0])], attrs: { ...FLOAT_T, Tperm: { type: DT_INT32 } } };
}

/** a · bᵀ as the node `name`. */
export function productWithTransposed(g: GraphBuilder, name: string, a: Output, b: Output): Output {
  const { op, inputs, attrs } = transposedProductNodes(g, name, a, b);
  return g.node(name, op, inputs, attrs);
}

/** Rewrites every MatMul(a, b, transpose_b) under `prefix` (TensorFlow's dense input gradients) in place to (b · aᵀ)ᵀ. */
export function rewriteTransposedProducts(g: GraphBuilder, prefix: string): void {
  for (const node of g.nodesOf('MatMul', prefix)) {
    if (node.flag('transpose_a') || !node.flag('transpose_b')) continue;
    const [a, b] = node.inputs as [Output, Output];
    const { op, inputs, attrs } = transposedProductNodes(g, node.name, a, b);
    g.replaceNode(node.name, op, inputs, attrs);
  }
}
