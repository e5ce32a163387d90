// Adam's update of each trained parameter as graph nodes, as the eager NativeAdamOptimizer runs
// it: one fused ResourceApplyAdam per parameter, whose kernel forms 1 − β and lr_t in float32.
// β1^t, β2^t and the step's learning rates are fed each step (adamSettings.ts, learningRateSchedule.ts).
import type { AdamSettings } from '../train/adamSettings';
import type { GraphBuilder, Output } from './graphBuilder';
import type { GraphVariable } from './graphVariable';
import { FLOAT_T } from '../layers/graphAttrs';

type Variable = GraphVariable & { handle: Output };

/** Where the step's Adam scalars are fed (float32 scalars). */
export interface AdamFeeds {
  beta1Power: string;
  beta2Power: string;
  /** The convolutions' rate and fc1's/fc2's. */
  learningRate: string;
  denseLearningRate: string;
}

/**
 * One ResourceApplyAdam per trained parameter (`gradients` by the parameter's read output).
 * `stepOutputs` are what the training step computes (loss and gradients): each update waits for
 * those of its parameter's readers that they need.
 */
export function appendAdamUpdate(
  g: GraphBuilder, adam: AdamSettings,
  trained: readonly { parameter: Variable; m: Variable; v: Variable; gradient: Output }[],
  stepOutputs: readonly Output[],
): { feeds: AdamFeeds; updates: Output[] } {
  const feeds: AdamFeeds = {
    beta1Power: g.placeholder('adam/beta1_power', []),
    beta2Power: g.placeholder('adam/beta2_power', []),
    learningRate: g.placeholder('adam/learning_rate', []),
    denseLearningRate: g.placeholder('adam/dense_learning_rate', []),
  };
  const betasAndEpsilon = [g.floatConst('adam/beta1', adam.beta1), g.floatConst('adam/beta2', adam.beta2), g.floatConst('adam/epsilon', adam.epsilon)];
  const inStep = g.ancestorsOf(stepOutputs);
  const updates = trained.map(({ parameter: p, m, v, gradient }) => {
    const hyper = [adam.denseParameters.has(p.name) ? feeds.denseLearningRate : feeds.learningRate, ...betasAndEpsilon];
    // After every op of the step that reads this parameter. ResourceApplyAdam would copy the
    // buffer rather than change a value still in use, so this is for speed: with no other owner
    // left, the update writes in place. Only readers the step needs: a control input would make
    // anything else run too (the eval pass; a gradient TensorFlow built but nothing uses).
    const readers = g.consumersOf(p.read).filter((name) => inStep.has(name)).map((name) => `^${name}`);
    return g.node(`adam/apply/${p.name}`, 'ResourceApplyAdam',
      [p.handle, m.handle, v.handle, feeds.beta1Power, feeds.beta2Power, ...hyper, gradient, ...readers],
      { ...FLOAT_T, use_locking: { b: false }, use_nesterov: { b: false } });
  });
  return { feeds, updates };
}
