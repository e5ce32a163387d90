// Picks how training steps run. The graph engine is faster but needs a libtensorflow that can
// load and run the step graph; the eager engine runs anywhere tfjs does.
import { GraphStepEngine } from '../graph/graphStepEngine';
import { EagerStepEngine, type ModelSetup, type StepEngine } from './stepEngine';

/**
 * The graph engine where asked for; eager ops, with a warning, if this libtensorflow cannot build
 * or load the graph (a build this project was not tested with, such as tfjs-node-gpu's 2.9.1).
 */
export function createStepEngine(
  setup: ModelSetup,
  wanted: 'graph' | 'eager',
  createGraphEngine: (setup: ModelSetup) => StepEngine = (s) => new GraphStepEngine(s),
): { engine: StepEngine; execution: 'graph' | 'eager'; warning?: string } {
  if (wanted === 'eager') return { engine: new EagerStepEngine(setup), execution: 'eager' };
  try {
    return { engine: createGraphEngine(setup), execution: 'graph' };
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return {
      engine: new EagerStepEngine(setup), execution: 'eager',
      warning: `This TensorFlow could not run the training step as one graph (${reason}); training runs as eager ops instead: same maths, 1.3–1.5× slower.`,
    };
  }
}

