// Which of the panel's buttons make sense in which session state. Pure, so the rules read in
// one place: Train when nothing runs, Stop while something does, Resume from a checkpoint after
// a stop or crash, Evaluate whenever a trained model exists. A disabled button always carries
// the reason, which the header shows as its tooltip.
import type { PanelCommand, SessionSnapshot } from '../shared/webviewProtocol';

export type CommandAvailability = { show: 'enabled' } | { show: 'hidden' } | { show: 'disabled'; reason: string };

const ENABLED: CommandAvailability = { show: 'enabled' };
const HIDDEN: CommandAvailability = { show: 'hidden' };
const disabled = (reason: string): CommandAvailability => ({ show: 'disabled', reason });

export function commandAvailability(command: PanelCommand, snapshot: SessionSnapshot | null): CommandAvailability {
  if (!snapshot) return command === 'train' ? disabled('Waiting for the extension to send the session’s state.') : HIDDEN;
  const { state } = snapshot;
  switch (command) {
    case 'train':
      return ['idle', 'stopped', 'finished', 'crashed'].includes(state) ? ENABLED : HIDDEN;
    case 'stop':
      if (state === 'stopping') return disabled('Already stopping: the trainer finishes its current step and writes a checkpoint.');
      return ['running', 'paused', 'starting'].includes(state) ? ENABLED : HIDDEN;
    case 'resume':
      return (state === 'stopped' || state === 'crashed') && snapshot.canResume ? ENABLED : HIDDEN;
    case 'evaluateTest':
      // Only a live trainer holds the model; a stopped run's trainer has exited.
      if (snapshot.modelLoaded && snapshot.step > 0) return ENABLED;
      return disabled(evaluateUnavailable(snapshot));
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

function evaluateUnavailable(snapshot: SessionSnapshot): string {
  if (snapshot.state === 'starting') return 'Available once the trainer has loaded the model and trained a step.';
  if (snapshot.modelLoaded) return 'Available after the first training step: there are no trained weights yet.';
  if (snapshot.canResume) return 'No model is loaded: the trainer exited with the run. Resume the run to evaluate its weights.';
  return 'No model is loaded: train a run first.';
}
