// When a run does more than step: the steps it measures (loss and batch accuracy, reported as
// progress), and those after which it evaluates on validation and writes a checkpoint. The last
// step's evaluations and checkpoint belong to the end of the run, so they are not scheduled here.
import type { TrainingConfig } from '../../shared/trainingConfig';

type Schedule = Pick<TrainingConfig, 'steps' | 'logEvery' | 'evalEvery' | 'checkpointEvery'>;

/**
 * Every logEvery steps and the last; also this process's first step, so a user (and the panel)
 * sees training under way seconds after starting it rather than logEvery steps later.
 */
export function measuresStep(step: number, config: Schedule, startStep: number): boolean {
  return step % config.logEvery === 0 || step === config.steps || step === startStep + 1;
}

/** `every` > 0 steps, except the last step. */
function isScheduled(step: number, every: number, steps: number): boolean {
  return every > 0 && step % every === 0 && step < steps;
}

export function evaluatesAfter(step: number, config: Schedule): boolean {
  return isScheduled(step, config.evalEvery, config.steps);
}

export function checkpointsAfter(step: number, config: Schedule): boolean {
  return isScheduled(step, config.checkpointEvery, config.steps);
}
