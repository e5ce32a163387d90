// The selected block in depth: what the diagnosis says about it, its headline numbers, its
// layers, its activations on the probe batch and its live weight statistics.
import type { Finding } from '../shared/activationDiagnosis';
import type { BlockSpec } from '../shared/architecture';
import { formatShape, type BlockFigures } from '../shared/modelFigures';
import type { ArchitectureReport, BlockDetails } from '../shared/trainingReports';
import type { SessionSnapshot } from '../shared/webviewProtocol';
import { activationTable } from './activationTable';
import { blockActivations, reluLayerNames, type BlockActivations } from './activationSource';
import type { DetailsState } from './blockDetailsRequests';
import type { FindingsByBlock } from './blockFindings';
import { shortTitle } from './blockTitles';
import { architectureKey } from '../shared/displayedArchitecture';
import { codicon, custom, h, nodes, type Child } from './dom';
import { logitTiles, outputTiles } from './headlineTiles';
import { layerTable } from './layerTable';
import { formatCount, formatMacs } from './numberFormat';
import { weightTable } from './weightTable';

export interface InspectorView {
  selectedId: string | null;
  report: ArchitectureReport;
  snapshot: SessionSnapshot | null;
  findings: FindingsByBlock;
  details: DetailsState;
}

export class Inspector {
  // A Tab stop of its own, so a keyboard user can reach it (and scroll it) after the diagram.
  readonly element = h('section', { class: 'card inspector', 'data-testid': 'inspector', 'aria-label': 'Block inspector', tabindex: 0 });
  private shownKey = '';

  /** `featureMaps`: a view that keeps its own state, shown under the selected block's tables. */
  constructor(private readonly featureMaps?: HTMLElement) {}

  update(view: InspectorView): void {
    // Snapshots stream in several times a second; rebuild only when something shown here changed,
    // so text selections and table scroll positions survive while training runs.
    const key = renderKey(view);
    if (key === this.shownKey) return;
    this.shownKey = key;
    const index = view.report.spec.blocks.findIndex((b) => b.id === view.selectedId);
    const block = view.report.spec.blocks[index];
    const figures = view.report.figures.blocks[index];
    if (!block || !figures) {
      delete this.element.dataset.blockId;
      this.element.setAttribute('aria-label', 'Block inspector: no block selected');
      this.element.replaceChildren(
        h('h2', { class: 'card-title' }, 'Inspector'),
        h('p', { class: 'muted empty-hint' }, 'Select a block in the diagram or the table to see its layers, its activations and its live weights.'));
      return;
    }
    this.element.dataset.blockId = block.id;
    this.element.setAttribute('aria-label', `Block inspector: ${block.id}`);
    const details = currentDetails(view.details, block.id);
    const activations = blockActivations(block.id, view.snapshot, details);
    const isOutput = view.report.spec.blocks.at(-1)?.id === block.id;
    this.element.replaceChildren(...nodes(
      header(block, figures),
      findingList(view.findings.get(block.id) ?? []),
      headline(isOutput, activations, view.snapshot, reluLayerNames(view.report.spec)),
      section('Layers', null, layerTable(block, figures)),
      section('Activations', activations ? measuredAt(activations) : null,
        activations ? activationTable(activations, reluLayerNames(view.report.spec)) : h('p', { class: 'muted' }, activationsMissing(block))),
      weightsSection(view.details, block.id),
      this.featureMaps,
    ));
  }
}

function renderKey(view: InspectorView): string {
  const { snapshot, details } = view;
  const detailsKey = details.status === 'ready' ? `ready ${details.details.blockId} ${details.details.step}`
    : details.status === 'unavailable' ? `unavailable ${details.blockId} ${details.reason} ${details.last?.step}`
    : details.status === 'loading' ? `loading ${details.blockId}` : 'none';
  return JSON.stringify([
    view.selectedId, architectureKey(view.report), detailsKey, snapshot?.latestActivations?.step, snapshot?.initialActivations?.step,
    snapshot?.evaluations.length, snapshot?.evaluations.at(-1)?.step, [...view.findings.entries()],
  ]);
}

function currentDetails(state: DetailsState, blockId: string): BlockDetails | null {
  if (state.status === 'ready' && state.details.blockId === blockId) return state.details;
  if (state.status === 'unavailable' && state.last?.blockId === blockId) return state.last;
  return null;
}

function header(block: BlockSpec, figures: BlockFigures): HTMLElement {
  const title = shortTitle(block);
  return h('header', { class: 'inspector-header' },
    h('h2', { class: 'card-title' }, h('span', { class: 'mono' }, block.id), title ? h('span', { class: 'muted title-suffix' }, title) : null),
    h('div', { class: 'inspector-meta' },
      h('span', { class: 'mono' }, `${formatShape(figures.inputShape)} → ${formatShape(figures.outputShape)}`),
      h('span', {}, `${formatCount(figures.params)} parameters`),
      h('span', {}, `${formatMacs(figures.macs)} multiply-adds`)));
}

/** The diagnosis's findings, as sentences. */
function findingList(findings: readonly Finding[]): HTMLElement | null {
  if (findings.length === 0) return null;
  return h('ul', { class: 'findings', 'data-testid': 'findings' }, ...findings.map((f) =>
    h('li', { class: `finding ${f.severity}` }, codicon(f.severity), h('span', {}, sentence(f.message)))));
}

function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function headline(isOutput: boolean, activations: BlockActivations | null, snapshot: SessionSnapshot | null, relu: ReadonlySet<string>): Child {
  if (isOutput && snapshot?.latestActivations) return logitTiles(snapshot.latestActivations, snapshot.initialActivations, snapshot.evaluations.at(-1) ?? null);
  const output = activations?.layers.at(-1);
  return output ? outputTiles(output, relu.has(output.layerName)) : null;
}

function section(title: string, caption: Child, ...content: Child[]): HTMLElement {
  return h('section', { class: 'inspector-section' },
    h('div', { class: 'section-heading' }, h('h3', {}, title), caption ? h('span', { class: 'section-caption' }, caption) : null),
    ...content);
}

function measuredAt(activations: BlockActivations): string {
  const probe = activations.probeExamples === null ? 'the probe batch' : `${activations.probeExamples} probe images`;
  return `on ${probe} · step ${activations.step}`;
}

function activationsMissing(block: BlockSpec): string {
  return block.layers.length === 0 ? 'The input is not measured.' : 'Measured on the probe batch once training starts.';
}

function weightsSection(state: DetailsState, blockId: string): HTMLElement {
  switch (state.status) {
    case 'none':
      return section('Weights', null, h('p', { class: 'muted' }, 'Not requested.'));
    case 'loading':
      return section('Weights', null, h('div', { class: 'loading', 'data-testid': 'weights-loading' },
        custom('vscode-progress-ring', { 'aria-label': 'Reading weights' }), h('span', { class: 'muted' }, 'Reading live weights…')));
    case 'ready':
      return section('Weights', `live · step ${state.details.step}`, weightTable(state.details.weights));
    case 'unavailable':
      return section('Weights', state.last?.blockId === blockId ? `last read at step ${state.last.step}` : null,
        h('p', { class: 'unavailable', 'data-testid': 'weights-unavailable' }, codicon('info'), h('span', {}, `Live weights unavailable: ${state.reason}`)),
        state.last?.blockId === blockId ? weightTable(state.last.weights) : null);
    default: {
      const unknown: never = state;
      return unknown;
    }
  }
}
