// What the user is told when a run ends or goes on unseen, and what each message offers. The
// ones that describe a moment (finished, stopped, training in the background) are transient:
// they close as soon as the session moves on. A crash stays until dismissed, since it carries
// actions; each action checks that it still applies when clicked.
import * as vscode from 'vscode';
import { formatDuration } from '../shared/formatDuration';
import { describePhase } from '../shared/runPhase';
import type { SessionSnapshot } from '../shared/webviewProtocol';
import { COMMANDS } from './commandIds';
import { describeCrash, describeStop } from './session/runEndWording';
import type { SessionEvent, TrainingSession } from './session/trainingSession';
import type { TransientNotice, TransientNotifications } from './transientNotifications';

const RESUME = 'Resume';
const START_AGAIN = 'Start Again';
const SHOW_LOG = 'Show Log';

const isTraining = (s: SessionSnapshot) => s.state === 'starting' || s.state === 'running' || s.state === 'paused';

/** Shown when the panel closes during a run; closes when the run stops or the panel comes back. Cancel stops the run. */
export function backgroundTrainingNotice(panelIsOpen: () => boolean, stop: () => void): TransientNotice {
  return {
    title: 'ResNet Lab is still training in the background',
    applies: (s) => isTraining(s) && !panelIsOpen(),
    detail: (s) => `step ${s.step}/${s.totalSteps}${s.phase && s.phase.kind !== 'training' ? ` · ${describePhase(s.phase)}` : ''} · Cancel stops it at a checkpoint`,
    onCancel: stop,
  };
}

function crashActions(event: Extract<SessionEvent, { type: 'crashed' }>): string[] {
  return [event.end.checkpointStep !== null ? RESUME : START_AGAIN, SHOW_LOG];
}

export function showRunNotifications(session: TrainingSession, notices: TransientNotifications, log: vscode.LogOutputChannel): void {
  session.onEvent((event) => {
    switch (event.type) {
      case 'crashed': {
        void vscode.window.showErrorMessage(`ResNet Lab: ${describeCrash(event.end, event.cause)}`, ...crashActions(event)).then((choice) => {
          // A click on an old message must not act on a newer run.
          const stillCrashed = session.sessionState === 'crashed';
          if (choice === RESUME && stillCrashed) void vscode.commands.executeCommand(COMMANDS.resume);
          if (choice === START_AGAIN && stillCrashed) void vscode.commands.executeCommand(COMMANDS.train);
          if (choice === SHOW_LOG) log.show();
        });
        break;
      }
      case 'stopped':
        notices.show({ title: `ResNet Lab: ${describeStop(event.end)}`, applies: (s) => s.state === 'stopped', complete: true });
        break;
      case 'finished': {
        const { summary } = event;
        const test = summary.test ? `, test accuracy ${(summary.test.accuracy * 100).toFixed(2)}%` : '';
        const took = session.snapshot.wallSec;
        notices.show({
          title: `ResNet Lab: training finished at step ${summary.stepsDone}${test}${took !== null ? ` (took ${formatDuration(took)})` : ''}.`,
          applies: (s) => s.state === 'finished',
          complete: true,
        });
        break;
      }
      default: {
        const unknown: never = event;
        log.warn(`unhandled session event ${JSON.stringify(unknown)}`);
      }
    }
  });
}
