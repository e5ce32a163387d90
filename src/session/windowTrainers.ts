// How a window starts trainers, one definition for the extension, its benchmark and the tests
// that stand in for a window: a run is trained by a detached trainer (it outlives a reload, and
// the window follows it over its socket); a stored checkpoint is inspected by a child of this
// window on Node IPC.
import type { TrainingConfig } from '../../shared/trainingConfig';
import { DetachedTrainer } from './detachedTrainer';
import type { TrainerLauncher } from './trainerChannel';
import { TrainerProcess } from './trainerProcess';

/** script: the trainer bundle (dist/trainer.js); envFor: the process environment a run's backend needs. */
export function windowTrainers(script: string, envFor: (config: TrainingConfig) => NodeJS.ProcessEnv = () => ({})): TrainerLauncher {
  return (config, orders) => {
    const env = envFor(config);
    return orders === undefined ? new TrainerProcess(script, env) : DetachedTrainer.launch(script, env, orders);
  };
}
