// What a run is doing between its steps: training, or one of the pauses in the step counter
// (validation, the final test, a checkpoint write), each with its own progress so the panel and
// the status bar never show a frozen counter with nothing said.
import { allOf, exactly, integer, isIntegerIn, isOneOf, isRecord, satisfies, shape, variants, type Check } from './validation';

export type EvaluationPhaseKind = 'validating' | 'testing';

export type RunPhase =
  | { kind: 'training' }
  /** Images evaluated so far out of the whole split. */
  | { kind: EvaluationPhaseKind; done: number; total: number }
  | { kind: 'checkpointing' };

const PHASE_KINDS = ['training', 'validating', 'testing', 'checkpointing'] as const;

/** The phase guard used by the trainer protocol: counts are whole and done never passes total. */
export function isRunPhase(value: unknown): value is RunPhase {
  if (!isRecord(value) || !isOneOf(value.kind, PHASE_KINDS)) return false;
  if (value.kind === 'training' || value.kind === 'checkpointing') return true;
  return isIntegerIn(value.total, 1, Number.MAX_SAFE_INTEGER) && isIntegerIn(value.done, 0, value.total);
}

const evaluationPhase = (kind: EvaluationPhaseKind): Check => allOf(
  shape({ kind: exactly(kind), done: integer(0, Number.MAX_SAFE_INTEGER), total: integer(1, Number.MAX_SAFE_INTEGER) }),
  satisfies(isRunPhase, 'a phase whose done is at most its total'),
);

/** The phase's shape in the trainer protocol's guard. */
export const runPhase: Check = variants('kind', {
  training: shape({ kind: exactly('training') }),
  checkpointing: shape({ kind: exactly('checkpointing') }),
  validating: evaluationPhase('validating'),
  testing: evaluationPhase('testing'),
});

const count = (n: number) => n.toLocaleString('en-US');

/** "validating 5,000 images… 40%", "testing 10,000 images… 0%", "writing checkpoint…"; "training" while training. */
export function describePhase(phase: RunPhase): string {
  switch (phase.kind) {
    case 'training':
      return 'training';
    case 'validating':
    case 'testing':
      return `${phase.kind} ${count(phase.total)} images… ${Math.floor((phase.done / phase.total) * 100)}%`;
    case 'checkpointing':
      return 'writing checkpoint…';
    default: {
      const unknown: never = phase;
      throw new Error(`unknown phase ${JSON.stringify(unknown)}`);
    }
  }
}
