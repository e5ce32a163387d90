// A training run's events, also written to its run folder's history (the CLI's runs and the
// detached trainer's alike), so a window that opens or reattaches later reads them there.
import type { RunWriter } from '../runStore/runWriter';
import type { TrainingEventSink } from './train/runEvents';

export function recordedSink(sink: TrainingEventSink, writer: RunWriter): TrainingEventSink {
  return {
    ...sink,
    progress: (p) => { writer.progress(p); sink.progress(p); },
    evaluation: (e) => { writer.evaluation(e); sink.evaluation(e); },
    activations: (a) => { writer.activations(a); sink.activations(a); },
  };
}
