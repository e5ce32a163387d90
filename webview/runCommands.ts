// Which of the panel's buttons make sense in which session state. Pure, so the rules read in
// one place: Train when nothing runs, Stop while something does, Resume from a checkpoint after
// a stop or crash, Evaluate whenever a trained model exists.
import type { PanelCommand, SessionSnapshot } from '../shared/webviewProtocol';

export type CommandAvailability = 'enabled' | 'disabled' | 'hidden';

export function commandAvailability(command: PanelCommand, snapshot: SessionSnapshot | null): CommandAvailability {
  if (!snapshot) return command === 'train' ? 'disabled' : 'hidden';
  const { state } = snapshot;
  switch (command) {
    case 'train':
      return ['idle', 'stopped', 'finished', 'crashed'].includes(state) ? 'enabled' : 'hidden';
    case 'stop':
      if (state === 'stopping') return 'disabled';
      return ['running', 'paused', 'starting'].includes(state) ? 'enabled' : 'hidden';
    case 'resume':
      return (state === 'stopped' || state === 'crashed') && snapshot.canResume ? 'enabled' : 'hidden';
    case 'evaluateTest':
      // Only a live trainer holds the model; a stopped run's trainer has exited.
      return snapshot.modelLoaded && snapshot.step > 0 ? 'enabled' : 'disabled';
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}
