// The host ↔ webview edge. The host sends complete snapshots (never deltas), so a webview that
// was hidden or reloaded catches up from one message; the webview sends back only intents.
import type { ArchitecturePreviewMessage } from './architecturePreview';
import type { RunPhase } from './runPhase';
import { runComparison, type RunComparison } from './runComparison';
import { validateConfig, type SettingsResult, type TrainingConfig } from './trainingConfig';
import type { ActivationReport, ArchitectureReport, BlockDetails, CheckpointReport, EvaluationReport, ProgressReport } from './trainingReports';
import { trainingConfig } from './reportShapes';
import { galleryRequest, type ErrorGallery, type GalleryQuery } from './errorGallery';
import {
  blockId, digitPixels, probeChoice, type DigitPrediction, type FeatureMapsReport, type InsideRequestKind, type ProbeChoice, type ProbeDigits,
} from './insideViews';
import { exactly, isRecord, oneOf, parseMessage, shape, type Check, type ParseResult } from './validation';

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
  /** While a trainer runs: training, or evaluating / writing a checkpoint with its progress. */
  phase: RunPhase | null;
  /** The run's wall time once it has ended (finished, stopped or crashed), across resumes; null while it runs. */
  wallSec: number | null;
}

export function emptySnapshot(): SessionSnapshot {
  return {
    state: 'idle', architecture: null, config: null, backend: null, step: 0, totalSteps: 0, progress: [], evaluations: [],
    initialActivations: null, latestActivations: null, lastCheckpoint: null, error: null, canResume: false, modelLoaded: false, warning: null,
    phase: null, wallSec: null,
  };
}

// ---- host → webview ----

/**
 * The whole session state, and what Train would start with the current settings (so an idle
 * panel can say it). nextRun is resolved by the host on every snapshot, so it follows edits.
 */
export interface SnapshotMessage { type: 'snapshot'; snapshot: SessionSnapshot; nextRun: SettingsResult }
/** Live statistics of one block, answering selectBlock. */
export interface BlockDetailsMessage { type: 'blockDetails'; details: BlockDetails }
/** Statistics for a block could not be fetched (no trainer running, or it failed). */
export interface BlockDetailsUnavailableMessage { type: 'blockDetailsUnavailable'; blockId: string; reason: string }

/** The images asked for by requestGallery (requestId is the webview's own). */
export interface GalleryMessage { type: 'gallery'; requestId: number; gallery: ErrorGallery }
/** The gallery could not be fetched (no trainer, or that evaluation's predictions are gone). */
export interface GalleryUnavailableMessage { type: 'galleryUnavailable'; requestId: number; reason: string }

/** Feature maps answering requestFeatureMaps. */
export interface FeatureMapsMessage { type: 'featureMaps'; maps: FeatureMapsReport }
/** The prediction answering predictDigit. */
export interface DigitPredictionMessage { type: 'digitPrediction'; prediction: DigitPrediction }
/** The probe digits answering requestProbeDigits. */
export interface ProbeDigitsMessage { type: 'probeDigits'; probes: ProbeDigits }
/** An inside-view request could not be answered (no checkpoint yet, or it failed). */
export interface InsideUnavailableMessage { type: 'insideUnavailable'; kind: InsideRequestKind; reason: string }

/** Runs side by side (the Runs view's Compare), sent again as they change; null: the comparison was closed. */
export interface ComparisonMessage { type: 'comparison'; comparison: RunComparison | null }

export type HostToWebviewMessage = SnapshotMessage | BlockDetailsMessage | BlockDetailsUnavailableMessage | GalleryMessage | GalleryUnavailableMessage
  | FeatureMapsMessage | DigitPredictionMessage | ProbeDigitsMessage | InsideUnavailableMessage | ComparisonMessage
  | ArchitecturePreviewMessage;

/** The webview's guard for the comparison message: every field, as the host's guards check theirs. */
export const comparisonMessageShape = shape({ type: exactly('comparison'), comparison: (value, at) => (value === null ? null : runComparison(value, at)) });

/**
 * The webview's guard for nextRun: a config the trainer would accept, or a list of problems. No
 * length limit on a problem: it quotes the user's own value, and a dropped snapshot would freeze the panel.
 */
export function isSettingsResult(value: unknown): value is SettingsResult {
  if (!isRecord(value)) return false;
  if (value.ok === true) return isRecord(value.config) && validateConfig(value.config).length === 0;
  return value.ok === false && Array.isArray(value.problems) && value.problems.length > 0 && value.problems.every((p) => typeof p === 'string');
}

// ---- webview → host ----

/** The webview has loaded and wants a snapshot. */
export interface WebviewReadyMessage { type: 'ready' }
/** The user selected a block; the host fetches its live statistics. */
export interface SelectBlockMessage { type: 'selectBlock'; blockId: string }
/** The user pressed one of the panel's buttons. */
export interface RunCommandMessage { type: 'runCommand'; command: PanelCommand }
/** The user followed the panel's link to the extension's settings. */
export interface OpenSettingsMessage { type: 'openSettings' }

/**
 * The user pressed Run in the New Run form: start a run with this config, leaving the settings as
 * they are. The host checks it again (validateConfig, through the trainingConfig shape): the form
 * validated it, but a webview is never trusted.
 */
export interface StartRunMessage { type: 'startRun'; config: TrainingConfig }

/** The user opened a confusion-matrix cell or the most-confidently-wrong strip. */
export interface RequestGalleryMessage { type: 'requestGallery'; requestId: number; query: GalleryQuery }

export type PanelCommand = 'train' | 'stop' | 'resume' | 'evaluateTest';
export const PANEL_COMMANDS: readonly PanelCommand[] = ['train', 'stop', 'resume', 'evaluateTest'];

/** Feature maps of a block for a probe digit or the drawn digit. */
export interface RequestFeatureMapsMessage { type: 'requestFeatureMaps'; blockId: string; probe: ProbeChoice }
/** Predict the drawn digit (784 bytes, base64) with the current weights. */
export interface PredictDigitMessage { type: 'predictDigit'; pixels: string }
/** The validation digits of the feature-map strip. */
export interface RequestProbeDigitsMessage { type: 'requestProbeDigits' }

/** The user closed the comparison. */
export interface CloseComparisonMessage { type: 'closeComparison' }

export type WebviewToHostMessage = WebviewReadyMessage | SelectBlockMessage | RunCommandMessage | OpenSettingsMessage | RequestGalleryMessage | StartRunMessage
  | RequestFeatureMapsMessage | PredictDigitMessage | RequestProbeDigitsMessage | CloseComparisonMessage;

const webviewToHostShapes: Readonly<Record<WebviewToHostMessage['type'], Check>> = {
  ready: shape({ type: exactly('ready') }),
  // A block name only: it is passed on to the trainer and shown in the panel.
  selectBlock: shape({ type: exactly('selectBlock'), blockId }),
  runCommand: shape({ type: exactly('runCommand'), command: oneOf(PANEL_COMMANDS) }),
  openSettings: shape({ type: exactly('openSettings') }),
  requestGallery: galleryRequest('requestGallery'),
  startRun: shape({ type: exactly('startRun'), config: trainingConfig }),
  requestFeatureMaps: shape({ type: exactly('requestFeatureMaps'), blockId, probe: probeChoice }),
  predictDigit: shape({ type: exactly('predictDigit'), pixels: digitPixels }),
  requestProbeDigits: shape({ type: exactly('requestProbeDigits') }),
  closeComparison: shape({ type: exactly('closeComparison') }),
};

/** The host's guard: the webview is a browser context, so its messages are untrusted input. */
export function parseWebviewToHost(raw: unknown): ParseResult<WebviewToHostMessage> {
  return parseMessage(raw, webviewToHostShapes);
}
