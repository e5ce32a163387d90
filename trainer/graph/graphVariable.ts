// A float32 resource variable of the training graph, with the nodes that read it and set it from
// a fed value (GraphVariableStore reads and assigns through them).
import { DT_FLOAT, DT_INT32, type GraphBuilder, type Output } from './graphBuilder';

/** One resource variable and the nodes that read and set it. */
export interface GraphVariable {
  name: string;
  shape: number[];
  /** Fetch: the current value. */
  read: string;
  /** Feed the new value here and fetch `assigned` to set it. */
  assignValue: string;
  assigned: string;
}

/** A float32 resource variable with nodes to read it and to assign it from a fed value. */
export function variable(g: GraphBuilder, name: string, shape: number[]): GraphVariable & { handle: Output } {
  const dtype = { dtype: { type: DT_FLOAT } };
  // The shared name is per session: each TF_Session has its own devices and resource manager.
  const handle = g.node(`var/${name}`, 'VarHandleOp', [], { ...dtype, shape: { shape }, shared_name: { s: name }, container: { s: '' } });
  const read = g.node(`var/${name}/read`, 'ReadVariableOp', [handle], dtype);
  const assignValue = g.placeholder(`var/${name}/assign_value`, shape);
  const assign = g.node(`var/${name}/assign`, 'AssignVariableOp', [handle, assignValue], dtype);
  // A run must fetch something; this constant is fetched for the assignment it waits on.
  const assigned = g.node(`var/${name}/assigned`, 'Const', [`^${assign}`], { dtype: { type: DT_INT32 }, value: { int32Tensor: [0] } });
  return { name, shape, handle, read, assignValue, assigned };
}

