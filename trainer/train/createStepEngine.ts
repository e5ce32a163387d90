// Picks how training steps run. The graph engine is faster but needs a libtensorflow that can
// load and run the step graph; the eager engine runs anywhere tfjs does.
import { ArchitectureError } from '../../shared/architectureError';
import { errorFirstLine } from '../../shared/errorMessage';
import { GraphStepEngine } from '../graph/graphStepEngine';
import { isNativeBackend } from '../model/nativeBackend';
import { EagerStepEngine, type Execution, type ModelSetup, type StepEngine } from './stepEngine';

/**
 * The engine asked for; by default the graph on the native backend and eager ops elsewhere.
 * Eager ops, with a warning, if this libtensorflow cannot build, load or run the graph (a build
 * this project was not tested with; both the CPU build (2.15.1) and the GPU build (2.20.0) run the graph).
 * A spec that cannot be built is the spec's fault on either engine: its ArchitectureError goes to the caller.
 */
export function createStepEngine(
  setup: ModelSetup,
  wanted: Execution = isNativeBackend() ? 'graph' : 'eager',
  createGraphEngine: (setup: ModelSetup) => StepEngine = (s) => new GraphStepEngine(s),
): { engine: StepEngine; warning?: string } {
  if (wanted === 'eager') return { engine: new EagerStepEngine(setup) };
  try {
    return { engine: createGraphEngine(setup) };
  } catch (error) {
    if (error instanceof ArchitectureError) throw error;
    const reason = errorFirstLine(error);
    return {
      engine: new EagerStepEngine(setup),
      warning: `This TensorFlow could not run the training step as one graph (${reason}); training runs as eager ops instead: same maths, 1.3–1.5× slower.`,
    };
  }
}
