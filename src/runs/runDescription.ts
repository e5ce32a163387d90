// What the Runs view says about a run: its status in words and icon, and its figures in one
// line (description) and in full (tooltip). Pure, apart from vscode's ThemeIcon/Markdown types.
import * as vscode from 'vscode';
import type { StoredRun } from '../../runStore/runStore';
import { describeOwner } from '../../runStore/runLock';
import { runDisplayName } from '../../shared/runName';
import { formatDuration } from '../../shared/formatDuration';

const pct = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(2)}%`);

/** 2 Dec 05:56, in the user's time zone. */
function shortDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export function statusText(run: StoredRun): string {
  return run.status === 'running' && run.lockedElsewhere && run.lock.kind === 'held' ? `running in ${describeOwner(run.lock.owner)}` : run.status;
}

export function statusIcon(run: StoredRun): vscode.ThemeIcon {
  switch (run.status) {
    case 'running': return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor(run.lockedElsewhere ? 'descriptionForeground' : 'charts.blue'));
    case 'finished': return new vscode.ThemeIcon('pass', new vscode.ThemeColor('charts.green'));
    case 'crashed': return new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    default: return new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('charts.yellow'));
  }
}

/**
 * One short line beside the name: the run's headline accuracy (test when it has one, else the best
 * validation), how far an unfinished run got, and when it started. The name already says the
 * recipe; every other figure is in the tooltip.
 */
export function runDescription(run: StoredRun): string {
  const m = run.manifest.metrics;
  const parts = [
    run.lockedElsewhere ? statusText(run) : null,
    run.status !== 'finished' ? `${m.stepsDone}/${run.manifest.config.steps} steps` : null,
    m.testAccuracy !== null ? `test ${pct(m.testAccuracy)}` : m.bestValidationAccuracy !== null ? `val ${pct(m.bestValidationAccuracy)}` : null,
    shortDate(run.manifest.createdAt),
  ];
  return parts.filter(Boolean).join(' · ');
}

export function runTooltip(run: StoredRun): vscode.MarkdownString {
  const { manifest } = run;
  const m = manifest.metrics;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escape(runDisplayName(manifest))}** · ${statusText(run)}\n\n`);
  const rows: [string, string][] = [
    ['best validation accuracy', pct(m.bestValidationAccuracy)],
    ['final validation accuracy', pct(m.finalValidationAccuracy)],
    ['test accuracy', pct(m.testAccuracy)],
    ['steps', `${m.stepsDone} of ${manifest.config.steps} (batch ${manifest.config.batchSize})`],
    ['images/s', m.imagesPerSec === null ? '—' : m.imagesPerSec.toFixed(1)],
    ['wall time', m.wallSec === null ? '—' : formatDuration(m.wallSec)],
    ['peak memory', m.peakRssMb === null ? '—' : `${m.peakRssMb.toFixed(0)} MB`],
    ['fc1 dead units', m.fc1DeadFraction === null ? '—' : pct(m.fc1DeadFraction)],
    ['started', shortDate(manifest.createdAt)],
    ['backend', manifest.backend ?? '—'],
    ['made by', `${manifest.origin.tool} on ${manifest.origin.host}`],
    ['checkpoint', run.hasCheckpoint ? 'kept' : 'none (not written yet, or removed by retention)'],
    ['id', manifest.id],
  ];
  md.appendMarkdown(rows.map(([k, v]) => `${k}: ${escape(v)}`).join('  \n'));
  if (manifest.status !== 'running' && run.status === 'crashed' && manifest.error) md.appendMarkdown(`\n\n${escape(manifest.error)}`);
  return md;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
