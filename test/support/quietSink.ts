// A training-event sink that ignores everything; tests spread it and override the events they watch.
import type { TrainingEventSink } from '../../trainer/train/runEvents';

export const quiet: TrainingEventSink = { progress: () => {}, evaluation: () => {}, activations: () => {}, checkpointSaved: () => {} };
