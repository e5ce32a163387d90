// The training loop's contract with whoever drives it (the CLI, the child process, tests): a
// pause gate and stop flag it obeys, and the sink it reports to. No IPC, terminals or VS Code.
import type { RunPhase } from '../../shared/runPhase';
import type { ActivationReport, CheckpointReport, EvaluationReport, ProgressReport } from '../../shared/trainingReports';

export interface RunControl {
  /** Resolves when training may take its next step. */
  waitWhilePaused(): Promise<void>;
  readonly stopRequested: boolean;
}

export interface TrainingEventSink {
  progress(progress: ProgressReport): void;
  evaluation(evaluation: EvaluationReport): void;
  activations(activations: ActivationReport): void;
  checkpointSaved(checkpoint: CheckpointReport): void;
  /** The run moved between training, evaluating and writing a checkpoint (or an evaluation advanced). */
  phase?(phase: RunPhase): void;
}
