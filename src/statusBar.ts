// The status bar item: the run at a glance, including what it is doing between steps
// (validating, testing, writing a checkpoint). While training, a click offers Show Panel and
// Stop Training and never stops by itself; when stopped, it resumes.
import * as vscode from 'vscode';
import { formatDuration } from '../shared/formatDuration';
import { describePhase } from '../shared/runPhase';
import type { SessionSnapshot } from '../shared/webviewProtocol';
import { COMMANDS } from './commandIds';

export class TrainingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('resnetLab.status', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'ResNet Lab training';
  }

  update(s: SessionSnapshot): void {
    const item = this.item;
    const latest = s.progress.at(-1);
    const accuracy = latest ? ` · ${(latest.batchAccuracy * 100).toFixed(1)}%` : '';
    item.backgroundColor = undefined;
    switch (s.state) {
      case 'starting':
      case 'running':
      case 'paused':
      case 'stopping': {
        const icon = s.state === 'stopping' ? '$(loading~spin)' : '$(sync~spin)';
        // Between steps the counter stands still: say what is happening instead of the accuracy.
        const between = s.phase && s.phase.kind !== 'training' ? ` · ${describePhase(s.phase)}` : accuracy;
        item.text = `${icon} ResNet ${s.step}/${s.totalSteps}${between}`;
        const tooltip = new vscode.MarkdownString(undefined, true);
        tooltip.appendMarkdown(`**ResNet Lab** · ${s.config?.preset ?? ''} preset · ${s.state}${s.phase ? ` · ${describePhase(s.phase)}` : ''}\n\n`);
        if (latest) {
          tooltip.appendMarkdown(`loss ${latest.loss.toFixed(4)} · batch accuracy ${(latest.batchAccuracy * 100).toFixed(1)}%\n\n`);
          tooltip.appendMarkdown(`${latest.imagesPerSec.toFixed(1)} images/s · ETA ${formatDuration(latest.etaSec)} (with evaluations) at step ${latest.step}\n\n`);
        }
        if (s.backend) tooltip.appendMarkdown(`backend ${s.backend}\n\n`);
        tooltip.appendMarkdown(s.state === 'stopping' ? 'Stopping after this step… Click to show the panel.' : 'Click to show the panel or stop training.');
        item.tooltip = tooltip;
        item.command = s.state === 'stopping' ? COMMANDS.showPanel : COMMANDS.statusBarMenu;
        item.show();
        return;
      }
      case 'stopped':
        if (!s.canResume) {
          // Stopped before the first checkpoint: there is nothing to resume.
          item.text = '$(debug-stop) ResNet stopped';
          item.tooltip = 'Stopped before its first checkpoint. Click to show the panel.';
          item.command = COMMANDS.showPanel;
        } else {
          item.text = '$(debug-start) Resume ResNet';
          item.tooltip = `Resume training from step ${s.step}/${s.totalSteps} exactly where it stopped`;
          item.command = COMMANDS.resume;
        }
        item.show();
        return;
      case 'crashed':
        item.text = `$(error) ResNet crashed${s.canResume ? ' · Resume' : ''}`;
        item.tooltip = `${s.error ?? 'The trainer stopped unexpectedly.'}${s.canResume ? '\n\nClick to resume from the last checkpoint.' : ''}`;
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        item.command = s.canResume ? COMMANDS.resume : COMMANDS.showPanel;
        item.show();
        return;
      case 'finished': {
        const test = [...s.evaluations].reverse().find((e) => e.split === 'test');
        item.text = `$(check) ResNet${test ? ` ${(test.accuracy * 100).toFixed(2)}% test` : ' done'}`;
        item.tooltip = 'Training finished. Click to show the panel.';
        item.command = COMMANDS.showPanel;
        item.show();
        return;
      }
      case 'idle':
        item.hide();
        return;
      default: {
        const unknown: never = s.state;
        throw new Error(`unknown state ${String(unknown)}`);
      }
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
