// The panel's entry point: wires the host channel to the views. The host sends complete
// snapshots; this file keeps only UI state (the selected block) and the latest snapshot, and
// re-renders every view from them.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import 'uplot/dist/uPlot.min.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/runHeader.css';
import './styles/charts.css';
import './styles/blockDiagram.css';
import './styles/tables.css';
import './styles/inspector.css';
import './styles/insideViews.css';
import './styles/confusion.css';
import './styles/comparison.css';
import './styles/newRunForm.css';

import { networkTitle } from '../shared/networkTitle';
import type { SettingsResult } from '../shared/trainingConfig';
import type { SessionSnapshot } from '../shared/webviewProtocol';
import { BlockDetailsRequests } from './blockDetailsRequests';
import { BlockDiagram } from './blockDiagram';
import { findingsByBlock } from './blockFindings';
import { TrainingCharts } from './charts';
import { ComparisonView } from './comparisonView';
import { displayedArchitecture } from '../shared/displayedArchitecture';
import { DrawDigit } from './drawDigit';
import { ErrorsView } from './errorsView';
import { FeatureMapsView } from './featureMaps';
import { GalleryRequests } from './galleryRequests';
import { InsideViewPacing } from './insideViewPacing';
import { connectToHost } from './hostChannel';
import { watchTheme } from './chartTheme';
import { parseHostMessage } from './hostMessages';
import { Inspector } from './inspector';
import { NewRunFormView } from './newRunFormView';
import { applyMutedTextColour } from './mutedText';
import { ArchitecturePreviewView } from './architecturePreviewView';
import { PanelLayout } from './panelLayout';
import { RunHeader } from './runHeader';
import { ShapeTable } from './shapeTable';

const host = connectToHost();
let snapshot: SessionSnapshot | null = null;
/** What Train would start with the current settings; null until the host's first snapshot. */
let nextRun: SettingsResult | null = null;
const keptView = host.loadViewState();
let selectedBlockId = keptView.selectedBlockId;

const requests = new BlockDetailsRequests((blockId) => host.post({ type: 'selectBlock', blockId }), render);
const header = new RunHeader((command) => host.post({ type: 'runCommand', command }), () => host.post({ type: 'openSettings' }));
const newRun = new NewRunFormView((message) => host.post(message), keptView.newRunForm, (form) => host.saveViewState({ newRunForm: form }));
const charts = new TrainingCharts();
const comparison = new ComparisonView(() => host.post({ type: 'closeComparison' }));
const diagram = new BlockDiagram(select);
const shapeTable = new ShapeTable(select);
const pacing = new InsideViewPacing();
const featureMaps = new FeatureMapsView((blockId, probe) => pacing.ask('featureMaps', () => host.post({ type: 'requestFeatureMaps', blockId, probe })));
const drawDigit = new DrawDigit((pixels) => {
  featureMaps.setDrawn(pixels);
  predictDrawnDigit();
});
const inspector = new Inspector(featureMaps.element);
const galleries = new GalleryRequests((requestId, query) => host.post({ type: 'requestGallery', requestId, query }), () => errors.render());
const errors = new ErrorsView(galleries);
const preview = new ArchitecturePreviewView();
const layout = new PanelLayout({
  header: header.element, newRun: newRun.element, charts: charts.element, diagram: diagram.element, inspector: inspector.element, comparison: comparison.element, shapeTable: shapeTable.element,
  errors: errors.element, drawDigit: drawDigit.element, preview: preview.element,
});
document.body.append(layout.element);
applyMutedTextColour();
watchTheme(applyMutedTextColour);
/**
 * The probe digits arrive once a model is loaded; until then every change of weights asks again,
 * but only while a block is selected: a stopped run's inspection trainer is not started for a
 * strip nobody sees.
 */
let probesReceived = false;
/** The weights the inside views last asked about: a run state and a step. */
let insideViewsWeights = '';

/** The latest drawing goes out when the pacing allows, not the one drawn when it was asked. */
function predictDrawnDigit(): void {
  pacing.ask('prediction', () => {
    const pixels = drawDigit.currentPixels;
    if (pixels) host.post({ type: 'predictDigit', pixels });
  });
}

/** Training changed the weights (or a model was loaded or let go): the inside views ask again. */
function weightsChanged(next: SessionSnapshot): void {
  const weights = `${next.state} ${next.step} ${next.modelLoaded}`;
  if (weights === insideViewsWeights) return;
  insideViewsWeights = weights;
  if (!probesReceived && featureMaps.wanted) host.post({ type: 'requestProbeDigits' });
  if (drawDigit.currentPixels) predictDrawnDigit();
  if (featureMaps.wanted) featureMaps.refresh();
}

function select(blockId: string | null): void {
  selectedBlockId = blockId;
  host.saveViewState({ selectedBlockId });
  requests.select(blockId, snapshot?.step ?? 0);
  featureMaps.setBlock(blockId);
  if (blockId !== null && !probesReceived) host.post({ type: 'requestProbeDigits' });
  render();
}

function render(): void {
  const shown = displayedArchitecture(snapshot, nextRun);
  header.update(snapshot, nextRun);
  newRun.update(snapshot, nextRun);
  // No network known (no settings yet, or invalid ones): say why instead of drawing a guess.
  for (const view of [diagram, shapeTable, inspector]) view.element.hidden = shown.report === null;
  if (shown.report === null) {
    layout.showArchitecture(shown.reason);
    return;
  }
  const { report } = shown;
  const findings = findingsByBlock(report.spec, snapshot);
  layout.showArchitecture(networkTitle(report.spec, report.figures));
  diagram.update(report, selectedBlockId, findings);
  shapeTable.update(report, selectedBlockId, findings);
  inspector.update({ selectedId: selectedBlockId, report, snapshot, findings, details: requests.current });
}

/** The block selected before a reload (VS Code restores it) is asked for again once the first snapshot says which network is drawn. */
let restoringSelection = selectedBlockId !== null;

function receiveSnapshot(next: SessionSnapshot, settings: SettingsResult): void {
  snapshot = next;
  nextRun = settings;
  const blocks = displayedArchitecture(snapshot, nextRun).report?.spec.blocks ?? [];
  const selectionDrawn = blocks.some((b) => b.id === selectedBlockId);
  if (restoringSelection) {
    restoringSelection = false;
    // Its live statistics are asked for again; a block the network lacks is let go.
    select(selectionDrawn ? selectedBlockId : null);
  } else if (selectedBlockId !== null && !selectionDrawn) select(null);
  requests.stepAdvanced(snapshot.step);
  charts.update(snapshot);
  errors.update(snapshot);
  render();
  weightsChanged(snapshot);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseHostMessage(event.data);
  if (!message) {
    console.warn('ResNet Lab: dropped a malformed or unknown message', typeof event.data === 'object' && event.data !== null && 'type' in event.data ? event.data.type : event.data);
    return;
  }
  switch (message.type) {
    case 'snapshot':
      receiveSnapshot(message.snapshot, message.nextRun);
      break;
    case 'blockDetails':
      requests.receiveDetails(message.details);
      break;
    case 'blockDetailsUnavailable':
      requests.receiveUnavailable(message.blockId, message.reason);
      break;
    case 'featureMaps':
      featureMaps.show(message.maps);
      break;
    case 'digitPrediction':
      drawDigit.showPrediction(message.prediction);
      break;
    case 'probeDigits':
      probesReceived = true;
      featureMaps.setProbes(message.probes);
      break;
    case 'insideUnavailable':
      if (message.kind === 'prediction') drawDigit.showUnavailable(message.reason);
      else if (message.kind === 'featureMaps') featureMaps.unavailable(message.reason);
      break;
    case 'gallery':
      galleries.receive(message.requestId, message.gallery);
      break;
    case 'galleryUnavailable':
      galleries.receiveUnavailable(message.requestId, message.reason);
      break;
    case 'architecturePreview':
      preview.update(message.preview);
      break;
    case 'comparison':
      comparison.update(message.comparison);
      if (message.comparison) comparison.element.scrollIntoView({ block: 'nearest' });
      break;
    default: {
      const unknown: never = message;
      console.warn('ResNet Lab: unhandled message', unknown);
    }
  }
});

render();
charts.update(null);
errors.update(null);
host.post({ type: 'ready' });
