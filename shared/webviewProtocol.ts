// The host ↔ webview edge. The host sends complete snapshots (never deltas), so a webview that
// was hidden or reloaded catches up from one message; the webview sends back only intents.
import type { TrainingConfig } from './trainingConfig';
import type { ActivationReport, ArchitectureReport, BlockDetails, CheckpointReport, EvaluationReport, ProgressReport } from './trainingReports';
import { isOneOf, isRecord } from './validation';
import { checkDigitPixels, checkProbeChoice, isBlockId, type DigitPrediction, type FeatureMapsReport, type InsideRequestKind, type ProbeChoice, type ProbeDigits } from './insideViews';

/** Where the session is; drives the status bar, command enablement and the panel header. */
export type SessionState = 'idle' | 'starting' | 'running' | 'paused' | 'stopping' | 'stopped' | 'finished' | 'crashed';

export const SESSION_STATES: readonly SessionState[] = ['idle', 'starting', 'running', 'paused', 'stopping', 'stopped', 'finished', 'crashed'];

/** Everything the panel shows, in one message. */
export interface SessionSnapshot {
  state: SessionState;
  /** The architecture the trainer reported (null until a trainer has said ready). */
  architecture: ArchitectureReport | null;
  config: TrainingConfig | null;
  backend: string | null;
  step: number;
  totalSteps: number;
  /** Progress history, oldest first (downsampled by the host if very long). */
  progress: ProgressReport[];
  /** Validation points over time and test evaluations, oldest first. */
  evaluations: EvaluationReport[];
  /** Activation statistics at the run's first step, kept to compare against. */
  initialActivations: ActivationReport | null;
  latestActivations: ActivationReport | null;
  lastCheckpoint: CheckpointReport | null;
  /** Why the session crashed or failed to start. */
  error: string | null;
  /** A checkpoint exists that Resume would continue from. */
  canResume: boolean;
  /** A trainer process holds the model: inspecting live weights and evaluating work. */
  modelLoaded: boolean;
  /** Something the user should know (slow backend, fell back to the previous checkpoint). */
  warning: string | null;
}

export function emptySnapshot(): SessionSnapshot {
  return {
    state: 'idle', architecture: null, config: null, backend: null, step: 0, totalSteps: 0, progress: [], evaluations: [],
    initialActivations: null, latestActivations: null, lastCheckpoint: null, error: null, canResume: false, modelLoaded: false, warning: null,
  };
}

// ---- host → webview ----

/** The whole session state. */
export interface SnapshotMessage { type: 'snapshot'; snapshot: SessionSnapshot }
/** Live statistics of one block, answering selectBlock. */
export interface BlockDetailsMessage { type: 'blockDetails'; details: BlockDetails }
/** Statistics for a block could not be fetched (no trainer running, or it failed). */
export interface BlockDetailsUnavailableMessage { type: 'blockDetailsUnavailable'; blockId: string; reason: string }

/** Feature maps answering requestFeatureMaps. */
export interface FeatureMapsMessage { type: 'featureMaps'; maps: FeatureMapsReport }
/** The prediction answering predictDigit. */
export interface DigitPredictionMessage { type: 'digitPrediction'; prediction: DigitPrediction }
/** The probe digits answering requestProbeDigits. */
export interface ProbeDigitsMessage { type: 'probeDigits'; probes: ProbeDigits }
/** An inside-view request could not be answered (no checkpoint yet, or it failed). */
export interface InsideUnavailableMessage { type: 'insideUnavailable'; kind: InsideRequestKind; reason: string }

export type HostToWebviewMessage = SnapshotMessage | BlockDetailsMessage | BlockDetailsUnavailableMessage
  | FeatureMapsMessage | DigitPredictionMessage | ProbeDigitsMessage | InsideUnavailableMessage;

// ---- webview → host ----

/** The webview has loaded and wants a snapshot. */
export interface WebviewReadyMessage { type: 'ready' }
/** The user selected a block; the host fetches its live statistics. */
export interface SelectBlockMessage { type: 'selectBlock'; blockId: string }
/** The user pressed one of the panel's buttons. */
export interface RunCommandMessage { type: 'runCommand'; command: PanelCommand }

export type PanelCommand = 'train' | 'stop' | 'resume' | 'evaluateTest';
export const PANEL_COMMANDS: readonly PanelCommand[] = ['train', 'stop', 'resume', 'evaluateTest'];

/** Feature maps of a block for a probe digit or the drawn digit. */
export interface RequestFeatureMapsMessage { type: 'requestFeatureMaps'; blockId: string; probe: ProbeChoice }
/** Predict the drawn digit (784 bytes, base64) with the current weights. */
export interface PredictDigitMessage { type: 'predictDigit'; pixels: string }
/** The validation digits of the feature-map strip. */
export interface RequestProbeDigitsMessage { type: 'requestProbeDigits' }

export type WebviewToHostMessage = WebviewReadyMessage | SelectBlockMessage | RunCommandMessage
  | RequestFeatureMapsMessage | PredictDigitMessage | RequestProbeDigitsMessage;

export type WebviewParseResult = { ok: true; message: WebviewToHostMessage } | { ok: false; error: string };

/** The host's guard: the webview is a browser context, so its messages are untrusted input. */
export function parseWebviewToHost(raw: unknown): WebviewParseResult {
  if (!isRecord(raw)) return { ok: false, error: 'message is not an object' };
  switch (raw.type) {
    case 'ready':
      return { ok: true, message: { type: 'ready' } };
    case 'selectBlock':
      if (!isBlockId(raw.blockId)) return { ok: false, error: 'selectBlock: blockId must be a block name' };
      return { ok: true, message: { type: 'selectBlock', blockId: raw.blockId } };
    case 'runCommand':
      if (!isOneOf(raw.command, PANEL_COMMANDS)) return { ok: false, error: `runCommand: unknown command ${JSON.stringify(raw.command)}` };
      return { ok: true, message: { type: 'runCommand', command: raw.command } };
    case 'requestFeatureMaps': {
      if (!isBlockId(raw.blockId)) return { ok: false, error: 'requestFeatureMaps: blockId must be a block name' };
      const probe = checkProbeChoice(raw.probe);
      return probe.ok ? { ok: true, message: { type: 'requestFeatureMaps', blockId: raw.blockId, probe: probe.value } } : { ok: false, error: `requestFeatureMaps: ${probe.error}` };
    }
    case 'predictDigit': {
      const pixels = checkDigitPixels(raw.pixels);
      return pixels.ok ? { ok: true, message: { type: 'predictDigit', pixels: pixels.value } } : { ok: false, error: `predictDigit: ${pixels.error}` };
    }
    case 'requestProbeDigits':
      return { ok: true, message: { type: 'requestProbeDigits' } };
    default:
      return { ok: false, error: `unknown message type ${JSON.stringify(raw.type)}` };
  }
}
