// Attributes every float32 NHWC layer op in the graph carries.
import { DT_FLOAT, type AttrValue } from '../graph/graphBuilder';

/** T = float32. */
export const FLOAT_T: Record<string, AttrValue> = { T: { type: DT_FLOAT } };
export const NHWC: AttrValue = { s: 'NHWC' };

/** strides/ksize-style attribute: [1, n, n, 1]. */
export const spatial = (n: number): AttrValue => ({ ints: [1, n, n, 1] });
