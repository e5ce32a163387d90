// Attributes every float32 NHWC layer op in the graph carries.
import type { Padding } from '../../shared/architecture';
import { DT_FLOAT, type AttrValue } from '../graph/graphBuilder';

/** T = float32. */
export const FLOAT_T: Record<string, AttrValue> = { T: { type: DT_FLOAT } };
export const NHWC: AttrValue = { s: 'NHWC' };

/** strides/ksize-style attribute: [1, n, n, 1]. */
export const spatial = (n: number): AttrValue => ({ ints: [1, n, n, 1] });

/** The attributes of a pooling window op and its gradient (MaxPool, AvgPool, …Grad). */
export const windowAttrs = (window: { size: number; stride: number; padding: Padding }): Record<string, AttrValue> => ({
  ...FLOAT_T, ksize: spatial(window.size), strides: spatial(window.stride), padding: { s: window.padding.toUpperCase() }, data_format: NHWC,
});
