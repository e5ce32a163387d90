// The one walk over an ArchitectureSpec that both engines take: block by block, the projection
// shortcut (if any) from the block's input first, then the main path's layers, the residual `add`
// receiving the shortcut (or the block's input). T is a tfjs tensor for eager ops, a graph node's
// output for the graph engine.
import type { ArchitectureSpec, BlockSpec, LayerSpec } from '../../shared/architecture';

export interface ArchitectureWalk<T> {
  /** Computes one layer. `residual` is given to the block's `add` only: its second operand. */
  layer(layer: LayerSpec, x: T, residual: T | undefined, block: BlockSpec): T;
  /** After each layer (the shortcut included): `previous` is what it consumed on the main path. */
  layerDone?(layer: LayerSpec, block: BlockSpec, output: T, previous: T, blockInput: T): void;
  /** After each block, with what it started from, its shortcut's output and its own output. */
  blockDone?(block: BlockSpec, blockInput: T, shortcut: T | undefined, output: T): void;
}

export function walkArchitecture<T>(arch: ArchitectureSpec, input: T, walk: ArchitectureWalk<T>): T {
  let x = input;
  for (const block of arch.blocks) {
    const blockInput = x;
    let shortcut: T | undefined;
    if (block.shortcut?.kind === 'projection') {
      shortcut = walk.layer(block.shortcut.layer, blockInput, undefined, block);
      walk.layerDone?.(block.shortcut.layer, block, shortcut, blockInput, blockInput);
    }
    for (const layer of block.layers) {
      const previous = x;
      x = walk.layer(layer, previous, layer.op === 'add' ? shortcut ?? blockInput : undefined, block);
      walk.layerDone?.(layer, block, x, previous, blockInput);
    }
    walk.blockDone?.(block, blockInput, shortcut, x);
  }
  return x;
}
