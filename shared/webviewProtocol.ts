// The host ↔ webview edge. The host sends complete snapshots (never deltas), so a webview that
// was hidden or reloaded catches up from one message; the webview sends back only intents.
import type { TrainingConfig } from './trainingConfig';
import type { ActivationReport, ArchitectureReport, BlockDetails, CheckpointReport, EvaluationReport, ProgressReport } from './trainingReports';
import { describeValue, exactly, oneOf, parseMessage, shape, text, type Check, type ParseResult } from './validation';

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

export type HostToWebviewMessage = SnapshotMessage | BlockDetailsMessage | BlockDetailsUnavailableMessage;

// ---- webview → host ----

/** The webview has loaded and wants a snapshot. */
export interface WebviewReadyMessage { type: 'ready' }
/** The user selected a block; the host fetches its live statistics. */
export interface SelectBlockMessage { type: 'selectBlock'; blockId: string }
/** The user pressed one of the panel's buttons. */
export interface RunCommandMessage { type: 'runCommand'; command: PanelCommand }

export type PanelCommand = 'train' | 'stop' | 'resume' | 'evaluateTest';
export const PANEL_COMMANDS: readonly PanelCommand[] = ['train', 'stop', 'resume', 'evaluateTest'];

export type WebviewToHostMessage = WebviewReadyMessage | SelectBlockMessage | RunCommandMessage;

const webviewToHostShapes: Readonly<Record<WebviewToHostMessage['type'], Check>> = {
  ready: shape({ type: exactly('ready') }),
  // A block name only: it is passed on to the trainer and shown in the panel.
  selectBlock: shape({ type: exactly('selectBlock'), blockId: (value, at) => text(64)(value, at) ?? (/^[a-z0-9_]+$/i.test(value as string) ? null : `${at} must be a block name (got ${describeValue(value)})`) }),
  runCommand: shape({ type: exactly('runCommand'), command: oneOf(PANEL_COMMANDS) }),
};

/** The host's guard: the webview is a browser context, so its messages are untrusted input. */
export function parseWebviewToHost(raw: unknown): ParseResult<WebviewToHostMessage> {
  return parseMessage(raw, webviewToHostShapes);
}
