// The New Run card: one labelled control per field of shared/newRunForm.ts, pre-filled from the
// settings, each field's problem written under it as it is typed, and Run, which sends the checked
// config to the extension (the settings are never written). Until the user edits the form it
// follows the settings; Reset to Settings goes back to them.
import {
  checkNewRunForm, choosePreset, epochNote, inapplicableFields, NEW_RUN_FIELDS, prefilledForm, startRunMessage,
  type FormField, type LengthUnit, type NewRunFormState,
} from '../shared/newRunForm';
import type { PresetName, SettingsResult } from '../shared/trainingConfig';
import type { SessionSnapshot, StartRunMessage } from '../shared/webviewProtocol';
import { codicon, custom, h } from './dom';
import { commandAvailability } from './runCommands';

interface FieldControls { input: HTMLElement & { value: string; invalid?: boolean; disabled?: boolean }; problem: HTMLElement; hint?: HTMLElement; usualHint?: string }

const controlId = (key: string) => `new-run-${key}`;

export class NewRunFormView {
  readonly element: HTMLElement;
  private form: NewRunFormState | null = null;
  /** The user has typed or chosen something: snapshots no longer refill the form from the settings. */
  private edited = false;
  private readonly controls = new Map<string, FieldControls>();
  private readonly epochs: FieldControls;
  private readonly unitRadios = new Map<LengthUnit, HTMLElement & { checked: boolean }>();
  private readonly epochHint = h('p', { class: 'field-hint', 'data-testid': 'epoch-note' });
  private readonly source = h('p', { class: 'form-source', 'data-testid': 'new-run-source' });
  private readonly runButton = custom('vscode-button', { icon: 'play', 'data-testid': 'new-run-start' }, 'Run');
  private readonly why = h('span', { class: 'form-why', 'data-testid': 'new-run-why', role: 'status' });
  private readonly collapsible: HTMLElement & { open: boolean };
  private snapshot: SessionSnapshot | null = null;
  private nextRun: SettingsResult | null = null;
  private opened = false;

  /**
   * saved: the user's edits as this page kept them when the panel was last hidden (VS Code drops a
   * hidden webview's page); onEdit is told of every edit, and of null when the form follows the
   * settings again, so the page can keep them for the next time.
   */
  constructor(
    private readonly onStart: (message: StartRunMessage) => void,
    saved: NewRunFormState | null = null,
    private readonly onEdit: (form: NewRunFormState | null) => void = () => {},
  ) {
    this.epochs = {
      input: custom('vscode-textfield', { id: controlId('epochs'), 'data-testid': 'input-epochs', inputmode: 'decimal' }) as FieldControls['input'],
      problem: problemLine('epochs'),
    };
    this.epochs.input.addEventListener('input', () => this.edit(() => { this.form!.epochsText = this.epochs.input.value; }));
    const rows = NEW_RUN_FIELDS.map((field) => this.row(field));
    const reset = custom('vscode-button', { secondary: true, icon: 'discard', 'data-testid': 'new-run-reset' }, 'Reset to Settings');
    reset.addEventListener('click', () => this.resetToSettings());
    this.runButton.addEventListener('click', () => this.start());
    this.collapsible = custom('vscode-collapsible', { heading: 'New Run', description: 'choose the values of one run; your settings stay as they are', 'data-testid': 'new-run', class: 'new-run-card' },
      h('div', { class: 'new-run-body' },
        this.source,
        h('div', { class: 'new-run-grid' }, ...rows),
        h('div', { class: 'new-run-actions' }, this.runButton, reset, this.why))) as HTMLElement & { open: boolean };
    this.element = this.collapsible;
    if (saved) {
      this.form = saved;
      this.edited = true;
      this.source.textContent = 'Your edits, kept while the panel was hidden (Reset to Settings to start again from your settings).';
      this.fillControls();
      this.check();
    }
  }

  private row(field: FormField): HTMLElement {
    const input = field.control === 'choice'
      ? custom('vscode-single-select', { id: controlId(field.key), 'data-testid': `input-${field.key}` },
        ...field.options.map((option) => custom('vscode-option', { value: option, description: field.optionLabels[option] }, field.optionLabels[option] ? `${option} — ${field.optionLabels[option]}` : option)))
      : custom('vscode-textfield', { id: controlId(field.key), 'data-testid': `input-${field.key}`, inputmode: field.control === 'number' ? 'decimal' : 'text' });
    const hint = field.hint ? h('p', { class: 'field-hint', 'data-testid': `hint-${field.key}` }, field.hint) : undefined;
    const controls: FieldControls = { input: input as FieldControls['input'], problem: problemLine(field.key), hint, usualHint: field.hint };
    this.controls.set(field.key, controls);
    input.addEventListener(field.control === 'choice' ? 'change' : 'input', () => this.edit(() => {
      if (field.key === 'preset') this.form = choosePreset(this.form!, controls.input.value as PresetName);
      else this.form!.text[field.key] = controls.input.value;
    }, field.key === 'preset'));
    const label = custom('vscode-label', { for: controlId(field.key) }, field.label);
    if (field.key !== 'steps') return h('div', { class: 'form-row', 'data-testid': `field-${field.key}` }, label, input, controls.problem, hint);
    // The length: typed in steps, or in epochs of the training split that become steps at this batch size.
    const unit = custom('vscode-radio-group', { 'aria-label': 'Length in', 'data-testid': 'length-unit' },
      ...(['steps', 'epochs'] as const).map((value) => {
        const radio = custom('vscode-radio', { name: 'length-unit', value, 'data-testid': `length-${value}` }, value) as HTMLElement & { checked: boolean };
        radio.addEventListener('change', () => { if (radio.checked) this.edit(() => { this.form!.lengthUnit = value; }, true); });
        this.unitRadios.set(value, radio);
        return radio;
      }));
    return h('div', { class: 'form-row', 'data-testid': 'field-steps' }, label, unit, input, controls.problem,
      h('div', { class: 'epochs-box' }, custom('vscode-label', { for: controlId('epochs') }, 'Epochs'), this.epochs.input, this.epochs.problem),
      hint, this.epochHint);
  }

  /** A new snapshot: follow the settings until the user edits, and say whether Run can start now. */
  update(snapshot: SessionSnapshot | null, nextRun: SettingsResult | null): void {
    this.snapshot = snapshot;
    this.nextRun = nextRun;
    if (snapshot && !this.opened) {
      // Open where there is nothing else to look at yet: before any run.
      this.opened = true;
      this.collapsible.open = snapshot.state === 'idle';
    }
    if (nextRun && !this.edited) {
      this.form = prefilledForm(nextRun);
      this.source.replaceChildren(...(nextRun.ok
        ? ['Filled in from your settings.']
        : [codicon('warning'), ` Your settings have ${nextRun.problems.length === 1 ? 'a problem' : 'problems'} (${nextRun.problems.join('; ')}), so these are the default preset’s values.`]));
      this.fillControls();
    }
    this.check();
  }

  private edit(change: () => void, refill = false): void {
    if (!this.form) return;
    change();
    this.edited = true;
    if (refill) this.fillControls();
    this.check();
    this.onEdit(this.form);
  }

  private resetToSettings(): void {
    this.edited = false;
    this.onEdit(null);
    this.update(this.snapshot, this.nextRun);
  }

  private fillControls(): void {
    const form = this.form;
    if (!form) return;
    for (const [key, { input }] of this.controls) input.value = form.text[key] ?? '';
    this.epochs.input.value = form.epochsText;
    for (const [unit, radio] of this.unitRadios) radio.checked = unit === form.lengthUnit;
    const inEpochs = form.lengthUnit === 'epochs';
    this.controls.get('steps')!.input.hidden = inEpochs;
    (this.epochs.input.parentElement as HTMLElement).hidden = !inEpochs;
  }

  private check(): void {
    const form = this.form;
    const { problems, config } = form ? checkNewRunForm(form) : { problems: {}, config: null };
    const inapplicable = form ? inapplicableFields(form) : {};
    for (const [key, controls] of this.controls) {
      // A field that changes nothing with the others' values is disabled, its hint saying why.
      const reason = inapplicable[key as keyof typeof inapplicable];
      controls.input.disabled = reason !== undefined;
      controls.input.toggleAttribute('disabled', reason !== undefined);
      if (controls.hint) controls.hint.textContent = reason ?? controls.usualHint ?? '';
      markField(controls, problems[key as keyof typeof problems]);
    }
    markField(this.epochs, problems.epochs);
    if (form) this.epochHint.textContent = epochNote(form);
    const train = commandAvailability('train', this.snapshot);
    const reason = !form ? 'Waiting for the extension to send your settings.'
      : train.show !== 'enabled' ? (train.show === 'disabled' ? train.reason : 'A run is going: stop it before starting another.')
        : config === null ? 'Fix the values marked above to run.'
          : `Runs ${config.steps.toLocaleString('en-US')} steps at batch ${config.batchSize}, learning rate ${config.learningRate}.`;
    const canRun = form !== null && train.show === 'enabled' && config !== null;
    this.runButton.toggleAttribute('disabled', !canRun);
    if (canRun) this.runButton.removeAttribute('aria-description');
    else this.runButton.setAttribute('aria-description', reason);
    this.why.textContent = reason;
  }

  private start(): void {
    if (!this.form || this.runButton.hasAttribute('disabled')) return;
    const message = startRunMessage(this.form);
    if (!message) return;
    this.onStart(message);
    this.collapsible.open = false;
  }
}

function problemLine(key: string): HTMLElement {
  return h('p', { class: 'field-problem', 'data-testid': `problem-${key}`, 'aria-live': 'polite', hidden: true });
}

function showProblem(line: HTMLElement, problem: string | undefined): void {
  line.hidden = !problem;
  line.replaceChildren(...(problem ? [codicon('error'), h('span', {}, problem)] : []));
}

function markField({ input, problem }: FieldControls, text: string | undefined): void {
  input.invalid = text !== undefined;
  input.toggleAttribute('invalid', text !== undefined);
  // Screen readers hear the problem with the field itself.
  if (text) input.setAttribute('aria-description', text);
  else input.removeAttribute('aria-description');
  showProblem(problem, text);
}
