// The status strip: session state, preset, step counter and the latest accuracies, throughput,
// backend, warnings and errors, and the buttons that drive the run. Elements are created once and
// updated in place, so a button keeps focus while snapshots stream in. Before any run, a line
// says that nothing is running and what Train would start, with a link to the settings.
import { idleText, initLabel, trainWillDo } from '../shared/nextRunText';
import type { SettingsResult } from '../shared/trainingConfig';
import { describePhase } from '../shared/runPhase';
import type { PanelCommand, SessionSnapshot } from '../shared/webviewProtocol';
import { latestEvaluation } from './blockFindings';
import { codicon, custom, h } from './dom';
import { formatDuration, formatPercent } from './numberFormat';
import { commandAvailability } from './runCommands';

const BUTTONS: { command: PanelCommand; label: string; icon: string; secondary: boolean }[] = [
  { command: 'train', label: 'Train', icon: 'play', secondary: false },
  { command: 'resume', label: 'Resume', icon: 'debug-continue', secondary: false },
  { command: 'stop', label: 'Stop', icon: 'debug-stop', secondary: true },
  { command: 'evaluateTest', label: 'Evaluate on test set', icon: 'beaker', secondary: true },
];

/** A label and a value whose textContent reads "label value" for tests and screen readers. */
function metric(testId: string, label: string): { element: HTMLElement; value: HTMLElement } {
  const value = h('span', { class: 'metric-value' });
  return { element: h('span', { class: 'metric', 'data-testid': testId }, h('span', { class: 'metric-label' }, label), ' ', value), value };
}

export class RunHeader {
  readonly element: HTMLElement;
  private readonly stateBadge = custom('vscode-badge', { 'data-testid': 'run-state', class: 'run-state' });
  private readonly preset = h('span', { class: 'run-preset' });
  private readonly backend = h('span', { class: 'run-backend muted', 'data-testid': 'backend' });
  private readonly stepValue = h('span', { class: 'metric-value' });
  private readonly stepTotal = h('span', {});
  private readonly progressFill = h('div', { class: 'progress-fill' });
  private readonly batch = metric('batch-accuracy', 'batch accuracy');
  private readonly validation = metric('validation-accuracy', 'validation accuracy');
  private readonly test = metric('test-accuracy', 'test accuracy');
  private readonly speed = h('span', { class: 'metric muted', 'data-testid': 'images-per-second' });
  private readonly eta = h('span', { class: 'metric muted', 'data-testid': 'eta' });
  private readonly warning = h('p', { class: 'message warning', 'data-testid': 'run-warning', role: 'status' });
  private readonly error = h('p', { class: 'message error', 'data-testid': 'run-error', role: 'alert' });
  private readonly progressTrack = h('div', { class: 'progress-track', role: 'progressbar', 'aria-label': 'Training progress', 'aria-valuemin': 0 }, this.progressFill);
  private readonly idleSentence = h('span', {});
  private readonly idleNote: HTMLElement;
  private readonly buttons = new Map<PanelCommand, { button: HTMLElement; slot: HTMLElement }>();

  constructor(private readonly onCommand: (command: PanelCommand) => void, onOpenSettings: () => void) {
    const actions = h('div', { class: 'run-actions' });
    for (const { command, label, icon, secondary } of BUTTONS) {
      const button = custom('vscode-button', { icon, secondary, 'data-testid': `command-${command}` }, label);
      // vscode-button swallows clicks while disabled, but a keyboard activation is checked here too.
      button.addEventListener('click', () => { if (!button.hasAttribute('disabled')) this.onCommand(command); });
      // A disabled vscode-button ignores the pointer, so its tooltip (why it is disabled) hangs on this wrapper.
      const slot = h('span', { class: 'command-slot', 'data-testid': `command-slot-${command}` }, button);
      this.buttons.set(command, { button, slot });
      actions.append(slot);
    }
    const settingsLink = h('a', { href: '#', class: 'settings-link', 'data-testid': 'open-settings' }, 'Change the settings');
    settingsLink.addEventListener('click', (event) => {
      event.preventDefault();
      onOpenSettings();
    });
    this.idleNote = h('p', { class: 'idle-note', 'data-testid': 'idle-note', role: 'status', hidden: true }, codicon('info'),
      h('span', {}, this.idleSentence, ' ', settingsLink));
    const stepCounter = h('span', { class: 'metric step-counter', 'data-testid': 'step-counter' },
      h('span', { class: 'metric-label' }, 'step'), ' ', this.stepValue, ' / ', this.stepTotal);
    this.element = h('header', { class: 'run-header' },
      h('div', { class: 'run-title-row' },
        h('h1', { class: 'run-title' }, 'ResNet Lab'), this.stateBadge, this.preset, this.backend, h('span', { class: 'spacer' }), actions),
      this.progressTrack,
      this.idleNote,
      h('div', { class: 'metrics' }, stepCounter, this.batch.element, this.validation.element, this.test.element, this.speed, this.eta),
      this.warning, this.error);
  }

  update(snapshot: SessionSnapshot | null, nextRun: SettingsResult | null): void {
    const state = snapshot?.state ?? 'idle';
    // Between steps (validating, testing, writing a checkpoint) the badge says so, with progress.
    const phase = snapshot?.phase;
    this.stateBadge.textContent = state === 'running' && phase && phase.kind !== 'training' ? describePhase(phase) : state;
    this.stateBadge.className = `run-state state-${state}`;
    const config = snapshot?.config;
    this.preset.textContent = config
      ? `${config.preset} preset · ${initLabel(config.init)} · batch ${config.batchSize} · lr ${config.learningRate}`
      : '';
    this.idleNote.hidden = state !== 'idle' || nextRun === null;
    if (nextRun) this.idleSentence.textContent = idleText(nextRun);
    this.backend.textContent = snapshot?.backend ? `on ${snapshot.backend}` : '';

    const step = snapshot?.step ?? 0;
    const total = snapshot?.totalSteps || config?.steps || 0;
    this.stepValue.textContent = String(step);
    this.stepTotal.textContent = total > 0 ? String(total) : '—';
    this.progressFill.style.width = `${total > 0 ? Math.min(100, (step / total) * 100) : 0}%`;
    this.progressTrack.setAttribute('aria-valuemax', String(Math.max(total, 1)));
    this.progressTrack.setAttribute('aria-valuenow', String(Math.min(step, Math.max(total, 1))));
    this.progressTrack.setAttribute('aria-valuetext', total > 0 ? `step ${step} of ${total}` : 'no run');

    const last = snapshot?.progress.at(-1);
    this.batch.value.textContent = last ? formatPercent(last.batchAccuracy, 1) : '—';
    const validation = snapshot ? latestEvaluation(snapshot.evaluations, 'validation') : null;
    this.validation.value.textContent = validation ? formatPercent(validation.accuracy) : '—';
    this.validation.element.title = validation ? `on ${validation.examples} held-out images at step ${validation.step}` : 'not evaluated yet';
    const test = snapshot ? latestEvaluation(snapshot.evaluations, 'test') : null;
    this.test.element.hidden = test === null;
    this.test.value.textContent = test ? formatPercent(test.accuracy) : '';
    this.test.element.title = test ? `on ${test.examples} test images at step ${test.step}` : '';
    const active = state === 'running' || state === 'starting';
    this.speed.textContent = last ? `${Math.round(last.imagesPerSec)} images/s` : '';
    // ETA counts the evaluations still to come; "took" is the run's wall time, resumes included.
    const wallSec = snapshot?.wallSec ?? null;
    this.eta.textContent = last && active ? `ETA ${formatDuration(last.etaSec)}` : !active && wallSec !== null ? `took ${formatDuration(wallSec)}` : '';

    showMessage(this.warning, 'warning', snapshot?.warning ?? null);
    showMessage(this.error, 'error', snapshot?.error ?? null);
    for (const [command, { button, slot }] of this.buttons) {
      const availability = commandAvailability(command, snapshot);
      slot.hidden = availability.show === 'hidden';
      button.toggleAttribute('disabled', availability.show === 'disabled');
      const why = availability.show === 'disabled' ? availability.reason : command === 'train' && nextRun ? trainWillDo(nextRun) : null;
      if (why) slot.title = why;
      else slot.removeAttribute('title');
      // Screen readers hear the reason with the button itself; the wrapper's title is for the pointer.
      if (availability.show === 'disabled') button.setAttribute('aria-description', availability.reason);
      else button.removeAttribute('aria-description');
    }
  }
}

function showMessage(element: HTMLElement, icon: string, text: string | null): void {
  element.hidden = !text;
  element.replaceChildren(...(text ? [codicon(icon), h('span', {}, text)] : []));
}
