// Which network a run trains: a resumed run's is its checkpoint's (the one asked for must be the
// same, or resuming is refused naming the first difference); a fresh run's is the one asked for,
// or the seed network with the config's keep probability, checked before anything is built.
import { seedResNetArchitecture, type ArchitectureSpec } from '../../shared/architecture';
import { checkArchitecture, describeArchitectureProblems } from '../../shared/architectureCheck';
import { firstArchitectureDifference } from '../../shared/architectureDifference';
import { ArchitectureError } from '../../shared/architectureError';
import type { TrainingConfig } from '../../shared/trainingConfig';
import { checkpointArchitecture } from '../checkpoint/checkpointFormat';
import type { LoadedCheckpoint } from '../checkpoint/checkpointStore';
import { ResumeError } from '../checkpoint/resumeError';

export function chooseRunArchitecture(requested: ArchitectureSpec | undefined, config: TrainingConfig, checkpoint: LoadedCheckpoint | null): ArchitectureSpec {
  if (checkpoint) {
    const stored = checkpointArchitecture(checkpoint.header);
    const difference = requested ? firstArchitectureDifference(stored, requested) : null;
    if (difference) throw new ResumeError(`Cannot resume ${checkpoint.path} with this network: its weights belong to another one (${difference}). Resume without an architecture file to continue its own network, or start a new run.`);
    return stored;
  }
  const spec = requested ?? seedResNetArchitecture(config.keepProb);
  const checked = checkArchitecture(spec);
  if (!checked.ok) throw new ArchitectureError(spec.name, `this network cannot be trained: ${describeArchitectureProblems(checked.problems)}`);
  return spec;
}
