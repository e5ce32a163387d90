// The host ↔ trainer edge: one interface per message, a discriminated union per direction.
// The trainer validates every inbound message with `parseHostToTrainer`; the host validates the
// trainer's with `parseTrainerToHost`. Malformed messages are rejected, never acted on.
import { errorGallery, galleryRequest, type ErrorGallery, type GalleryQuery } from './errorGallery';
import {
  blockId, digitPixels, digitPrediction, featureMapsReport, probeChoice, probeDigits,
  type DigitPrediction, type FeatureMapsReport, type ProbeChoice, type ProbeDigits,
} from './insideViews';
import {
  activationReport, architectureReport, architectureSpec, blockDetails, checkpointReport, freshEvaluationReport, progressReport, runHistory, runSummary, trainingConfig,
} from './reportShapes';
import type { ArchitectureSpec } from './architecture';
import { runPhase, type RunPhase } from './runPhase';
import type { TrainingConfig } from './trainingConfig';
import {
  EXECUTIONS, type ActivationReport, type ArchitectureReport, type BlockDetails, type CheckpointReport, type EvaluationReport, type EvaluationSplit,
  type Execution, type ProgressReport, type RunHistory, type RunSummary,
} from './trainingReports';
import { boolean, exactly, integer, oneOf, orNull, parseMessage, requestId, shape, text, type Check, type ParseResult } from './validation';

/**
 * 2: `ready` no longer names a network (the trainer learns the run's with `start`; `started` reports it).
 * 3: a detached trainer is not sent `start` over its socket: it reads the same message from its run
 * folder (runStore/startOrders.ts) and holds the run's lock from its spawn (RunLock.handOver).
 */
export const TRAINER_PROTOCOL_VERSION = 3;

// ---- host → trainer ----

/**
 * Begin training with this config; resume from checkpointDir's checkpoint if asked. architecture:
 * the network to train (an architecture file's); null = the seed's, or when resuming the
 * checkpoint's (a different one given here is refused).
 */
export interface StartMessage { type: 'start'; config: TrainingConfig; checkpointDir: string; resume: boolean; architecture: ArchitectureSpec | null; detached: DetachedRun | null }
/**
 * A detached trainer's run: the host that launched it hands it the run folder's lock at spawn
 * (for windowId, the window that reattaches after a reload); it writes the history and run.json
 * itself, and when no window has been attached for graceMs it checkpoints and stops, unless
 * keepTraining. null: an attached child whose host records the run.
 */
/** How long a detached trainer waits with no window attached before it checkpoints and stops: a reload reconnects within a few seconds; a closed editor never does. */
export const UNATTENDED_GRACE_MS = 30_000;
export interface DetachedRun { runDir: string; windowId: string; graceMs: number; keepTraining: boolean }
/** A detached trainer's start orders: the `start` message, read from its run folder rather than sent. */
export type DetachedStart = StartMessage & { detached: DetachedRun };
/** Hold before the next step. */
export interface PauseMessage { type: 'pause' }
/** Continue after a pause. */
export interface ContinueMessage { type: 'continue' }
/** Finish the current step, write a checkpoint, and end the run as stopped. */
export interface StopMessage { type: 'stop' }
/** Evaluate the current weights on a whole split. */
export interface EvaluateMessage { type: 'evaluate'; requestId: number; split: EvaluationSplit }
/** Weight and activation statistics of one block's layers. */
export interface DescribeBlockMessage { type: 'describeBlock'; requestId: number; blockId: string }

/** Images of one confusion-matrix cell (or the most confidently wrong) at an earlier evaluation. */
export interface GalleryRequestMessage { type: 'gallery'; requestId: number; query: GalleryQuery }

/**
 * Inspect a stopped or finished run, no training. loadModel: load checkpointDir's checkpoint to
 * answer inside-view and gallery requests; false: answer gallery requests only, which need the
 * run's MNIST split and its run folder's stored predictions, not the model (so no checkpoint is
 * read, nor needed: retention may have removed it).
 */
export interface InspectMessage { type: 'inspect'; config: TrainingConfig; checkpointDir: string; loadModel: boolean }
/** Feature maps of one block for one image; a newer one replaces a pending one. */
export interface RequestFeatureMapsMessage { type: 'requestFeatureMaps'; requestId: number; blockId: string; probe: ProbeChoice }
/** The current weights' prediction for a 28×28 digit (784 bytes, base64); a newer one replaces a pending one. */
export interface PredictDigitMessage { type: 'predictDigit'; requestId: number; pixels: string }
/** The validation digits feature maps can be shown for. */
export interface RequestProbeDigitsMessage { type: 'requestProbeDigits'; requestId: number }

export type HostToTrainerMessage = StartMessage | PauseMessage | ContinueMessage | StopMessage | EvaluateMessage | DescribeBlockMessage | GalleryRequestMessage
  | InspectMessage | RequestFeatureMapsMessage | PredictDigitMessage | RequestProbeDigitsMessage;

// ---- trainer → host ----

/** The trainer process is up and speaks this protocol version; it learns which network to build from `start` or `inspect`. */
export interface ReadyMessage { type: 'ready'; protocolVersion: number }
/** The model and data are loaded and training begins at startStep (0, or a checkpoint's step); architecture: the network this run trains. */
export interface StartedMessage { type: 'started'; config: TrainingConfig; architecture: ArchitectureReport; backend: string; execution: Execution; startStep: number; history: RunHistory; warning?: string }
/** Training progress after the first step and every logEvery steps. */
export interface ProgressMessage { type: 'progress'; progress: ProgressReport }
/** A split was evaluated, on schedule or on request (then requestId is set). */
export interface EvaluationMessage { type: 'evaluation'; evaluation: EvaluationReport; requestId?: number }
/** Activation statistics on the probe batch. */
export interface ActivationsMessage { type: 'activations'; activations: ActivationReport }
/** The answer to describeBlock. */
export interface BlockDetailsMessage { type: 'blockDetails'; requestId: number; details: BlockDetails }
/** The answer to gallery. */
export interface GalleryMessage { type: 'gallery'; requestId: number; gallery: ErrorGallery }
/** A checkpoint was written atomically. */
export interface CheckpointSavedMessage { type: 'checkpointSaved'; checkpoint: CheckpointReport }
/** Training, or the pause between steps it is in (evaluating, writing a checkpoint) with its progress. */
export interface PhaseMessage { type: 'phase'; phase: RunPhase }
/** Training is paused or running again. */
export interface RunStateMessage { type: 'runState'; state: 'running' | 'paused' }
/** The run ended (finished all steps, or stopped on request). */
export interface FinishedMessage { type: 'finished'; summary: RunSummary }
/** Something failed. fatal: the run cannot go on. requestId: the request that failed. */
export interface ErrorMessage { type: 'error'; message: string; fatal: boolean; requestId?: number }

/**
 * The run asked for by inspect is ready: step is its checkpoint's, whose weights answer; null when
 * no model was asked for (loadModel false), and only gallery requests are answered.
 */
export interface InspectingMessage { type: 'inspecting'; step: number | null }
/** The answer to requestFeatureMaps. */
export interface FeatureMapsMessage { type: 'featureMaps'; requestId: number; maps: FeatureMapsReport }
/** The answer to predictDigit. */
export interface DigitPredictionMessage { type: 'digitPrediction'; requestId: number; prediction: DigitPrediction }
/** The answer to requestProbeDigits. */
export interface ProbeDigitsMessage { type: 'probeDigits'; requestId: number; probes: ProbeDigits }
/** A newer request of the same kind arrived before this one ran: it will not be answered. */
export interface RequestSupersededMessage { type: 'requestSuperseded'; requestId: number }

export type TrainerToHostMessage =
  | ReadyMessage | StartedMessage | ProgressMessage | EvaluationMessage | ActivationsMessage | BlockDetailsMessage
  | CheckpointSavedMessage | PhaseMessage | RunStateMessage | FinishedMessage | ErrorMessage | GalleryMessage
  | InspectingMessage | FeatureMapsMessage | DigitPredictionMessage | ProbeDigitsMessage | RequestSupersededMessage;

// ---- requests the host awaits, and the reply each one gets ----

/** A host message that carries a request id and is answered by one trainer message with that id. */
export type TrainerRequest = Extract<HostToTrainerMessage, { requestId: number }>;
export type TrainerRequestType = TrainerRequest['type'];

/**
 * The protocol's reply scheme: the type of the answer to each request. Besides it, a request can
 * only be answered by `error` (it failed) or `requestSuperseded` (a newer one took its place).
 */
export const TRAINER_REPLY_TYPES = {
  evaluate: 'evaluation',
  describeBlock: 'blockDetails',
  gallery: 'gallery',
  requestFeatureMaps: 'featureMaps',
  predictDigit: 'digitPrediction',
  requestProbeDigits: 'probeDigits',
} as const satisfies Readonly<Record<TrainerRequestType, TrainerToHostMessage['type']>>;

/** The answer to a request of type T. */
export type TrainerReplyTo<T extends TrainerRequestType> = Extract<TrainerToHostMessage, { type: (typeof TRAINER_REPLY_TYPES)[T] }>;

/** A request as its sender writes it: the connection numbers it. */
export type UnnumberedRequest = WithoutRequestId<TrainerRequest>;
// Distributes over the union, so each request keeps its own fields.
type WithoutRequestId<M> = M extends unknown ? Omit<M, 'requestId'> : never;

export type { ParseResult } from './validation';

/** Up to a day without a window: the grace is a setting-free constant in the extension, a field so tests can shorten it. */
const detachedRun = shape({ runDir: text(4096, 1), windowId: text(128, 1), graceMs: integer(0, 86_400_000), keepTraining: boolean });

const hostToTrainerShapes: Readonly<Record<HostToTrainerMessage['type'], Check>> = {
  start: shape({ type: exactly('start'), config: trainingConfig, checkpointDir: text(4096, 1), resume: boolean, architecture: orNull(architectureSpec), detached: orNull(detachedRun) }),
  pause: shape({ type: exactly('pause') }),
  continue: shape({ type: exactly('continue') }),
  stop: shape({ type: exactly('stop') }),
  evaluate: shape({ type: exactly('evaluate'), requestId, split: oneOf(['validation', 'test']) }),
  describeBlock: shape({ type: exactly('describeBlock'), requestId, blockId: text(64) }),
  gallery: galleryRequest('gallery'),
  inspect: shape({ type: exactly('inspect'), config: trainingConfig, checkpointDir: text(4096, 1), loadModel: boolean }),
  requestFeatureMaps: shape({ type: exactly('requestFeatureMaps'), requestId, blockId, probe: probeChoice }),
  predictDigit: shape({ type: exactly('predictDigit'), requestId, pixels: digitPixels }),
  requestProbeDigits: shape({ type: exactly('requestProbeDigits'), requestId }),
};

/** Accepts only well-formed host messages; the trainer never acts on anything else. */
export function parseHostToTrainer(raw: unknown): ParseResult<HostToTrainerMessage> {
  return parseMessage(raw, hostToTrainerShapes);
}

const trainerToHostShapes: Readonly<Record<TrainerToHostMessage['type'], Check>> = {
  ready: shape({ type: exactly('ready'), protocolVersion: exactly(TRAINER_PROTOCOL_VERSION) }),
  started: shape(
    { type: exactly('started'), config: trainingConfig, architecture: architectureReport, backend: text(256), execution: oneOf(EXECUTIONS), startStep: integer(0, Number.MAX_SAFE_INTEGER), history: runHistory },
    { warning: text(65536) },
  ),
  progress: shape({ type: exactly('progress'), progress: progressReport }),
  evaluation: shape({ type: exactly('evaluation'), evaluation: freshEvaluationReport }, { requestId }),
  activations: shape({ type: exactly('activations'), activations: activationReport }),
  blockDetails: shape({ type: exactly('blockDetails'), requestId, details: blockDetails }),
  checkpointSaved: shape({ type: exactly('checkpointSaved'), checkpoint: checkpointReport }),
  gallery: shape({ type: exactly('gallery'), requestId, gallery: errorGallery }),
  phase: shape({ type: exactly('phase'), phase: runPhase }),
  runState: shape({ type: exactly('runState'), state: oneOf(['running', 'paused']) }),
  finished: shape({ type: exactly('finished'), summary: runSummary }),
  error: shape({ type: exactly('error'), message: text(65536), fatal: boolean }, { requestId }),
  inspecting: shape({ type: exactly('inspecting'), step: orNull(integer(0, Number.MAX_SAFE_INTEGER)) }),
  featureMaps: shape({ type: exactly('featureMaps'), requestId, maps: featureMapsReport }),
  digitPrediction: shape({ type: exactly('digitPrediction'), requestId, prediction: digitPrediction }),
  probeDigits: shape({ type: exactly('probeDigits'), requestId, probes: probeDigits }),
  requestSuperseded: shape({ type: exactly('requestSuperseded'), requestId }),
};

/**
 * The host's guard on the trainer's messages: every field of every report, so a corrupted or
 * foreign message is never mistaken for a real one nor stored in the session's state.
 */
export function parseTrainerToHost(raw: unknown): ParseResult<TrainerToHostMessage> {
  return parseMessage(raw, trainerToHostShapes);
}
