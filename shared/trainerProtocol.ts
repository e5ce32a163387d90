// The host ↔ trainer edge: one interface per message, a discriminated union per direction.
// The trainer validates every inbound message with `parseHostToTrainer`; the host validates the
// trainer's with `parseTrainerToHost`. Malformed messages are rejected, never acted on.
import type { TrainingConfig } from './trainingConfig';
import { validateConfig } from './trainingConfig';
import type {
  ActivationReport, ArchitectureReport, BlockDetails, CheckpointReport, EvaluationReport, EvaluationSplit,
  ProgressReport, RunHistory, RunSummary,
} from './trainingReports';
import { isIntegerIn, isOneOf, isRecord, isRequestId, isShortString } from './validation';
import { checkDigitPixels, checkProbeChoice, isBlockId, type DigitPrediction, type FeatureMapsReport, type ProbeChoice, type ProbeDigits } from './insideViews';

export const TRAINER_PROTOCOL_VERSION = 1;

// ---- host → trainer ----

/** Begin training with this config; resume from checkpointDir's checkpoint if asked. */
export interface StartMessage { type: 'start'; config: TrainingConfig; checkpointDir: string; resume: boolean }
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

/** Load checkpointDir's checkpoint only to answer inspection requests: no training. */
export interface InspectMessage { type: 'inspect'; config: TrainingConfig; checkpointDir: string }
/** Feature maps of one block for one image; a newer one replaces a pending one. */
export interface RequestFeatureMapsMessage { type: 'requestFeatureMaps'; requestId: number; blockId: string; probe: ProbeChoice }
/** The current weights' prediction for a 28×28 digit (784 bytes, base64); a newer one replaces a pending one. */
export interface PredictDigitMessage { type: 'predictDigit'; requestId: number; pixels: string }
/** The validation digits feature maps can be shown for. */
export interface RequestProbeDigitsMessage { type: 'requestProbeDigits'; requestId: number }

export type HostToTrainerMessage = StartMessage | PauseMessage | ContinueMessage | StopMessage | EvaluateMessage | DescribeBlockMessage
  | InspectMessage | RequestFeatureMapsMessage | PredictDigitMessage | RequestProbeDigitsMessage;

// ---- trainer → host ----

/** The trainer process is up; the architecture it will build, with its figures. */
export interface ReadyMessage { type: 'ready'; protocolVersion: number; architecture: ArchitectureReport }
/** The model and data are loaded and training begins at startStep (0, or a checkpoint's step). */
export interface StartedMessage { type: 'started'; config: TrainingConfig; backend: string; startStep: number; history: RunHistory; warning?: string }
/** Training progress every logEvery steps. */
export interface ProgressMessage { type: 'progress'; progress: ProgressReport }
/** A split was evaluated, on schedule or on request (then requestId is set). */
export interface EvaluationMessage { type: 'evaluation'; evaluation: EvaluationReport; requestId?: number }
/** Activation statistics on the probe batch. */
export interface ActivationsMessage { type: 'activations'; activations: ActivationReport }
/** The answer to describeBlock. */
export interface BlockDetailsMessage { type: 'blockDetails'; requestId: number; details: BlockDetails }
/** A checkpoint was written atomically. */
export interface CheckpointSavedMessage { type: 'checkpointSaved'; checkpoint: CheckpointReport }
/** Training is paused or running again. */
export interface RunStateMessage { type: 'runState'; state: 'running' | 'paused' }
/** The run ended (finished all steps, or stopped on request). */
export interface FinishedMessage { type: 'finished'; summary: RunSummary }
/** Something failed. fatal: the run cannot go on. requestId: the request that failed. */
export interface ErrorMessage { type: 'error'; message: string; fatal: boolean; requestId?: number }

/** The checkpoint asked for by inspect is loaded; requests are answered from its weights. */
export interface InspectingMessage { type: 'inspecting'; step: number }
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
  | CheckpointSavedMessage | RunStateMessage | FinishedMessage | ErrorMessage
  | InspectingMessage | FeatureMapsMessage | DigitPredictionMessage | ProbeDigitsMessage | RequestSupersededMessage;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

/** Accepts only well-formed host messages; the trainer never acts on anything else. */
export function parseHostToTrainer(raw: unknown): ParseResult<HostToTrainerMessage> {
  if (!isRecord(raw)) return fail('message is not an object');
  switch (raw.type) {
    case 'start': {
      if (!isRecord(raw.config)) return fail('start: config must be an object');
      const problems = validateConfig(raw.config);
      if (problems.length > 0) return fail(`start: ${problems.join('; ')}`);
      if (!isShortString(raw.checkpointDir) || raw.checkpointDir.length === 0) return fail('start: checkpointDir must be a non-empty path');
      if (typeof raw.resume !== 'boolean') return fail('start: resume must be true or false');
      return { ok: true, message: { type: 'start', config: raw.config as unknown as TrainingConfig, checkpointDir: raw.checkpointDir, resume: raw.resume } };
    }
    case 'pause':
    case 'continue':
    case 'stop':
      return { ok: true, message: { type: raw.type } };
    case 'evaluate':
      if (!isRequestId(raw.requestId)) return fail('evaluate: requestId must be a positive integer');
      if (!isOneOf(raw.split, ['validation', 'test'] as const)) return fail('evaluate: split must be validation or test');
      return { ok: true, message: { type: 'evaluate', requestId: raw.requestId, split: raw.split } };
    case 'describeBlock':
      if (!isRequestId(raw.requestId)) return fail('describeBlock: requestId must be a positive integer');
      if (!isShortString(raw.blockId, 64)) return fail('describeBlock: blockId must be a short string');
      return { ok: true, message: { type: 'describeBlock', requestId: raw.requestId, blockId: raw.blockId } };
    case 'inspect': {
      if (!isRecord(raw.config)) return fail('inspect: config must be an object');
      const problems = validateConfig(raw.config);
      if (problems.length > 0) return fail(`inspect: ${problems.join('; ')}`);
      if (!isShortString(raw.checkpointDir) || raw.checkpointDir.length === 0) return fail('inspect: checkpointDir must be a non-empty path');
      return { ok: true, message: { type: 'inspect', config: raw.config as unknown as TrainingConfig, checkpointDir: raw.checkpointDir } };
    }
    case 'requestFeatureMaps': {
      if (!isRequestId(raw.requestId)) return fail('requestFeatureMaps: requestId must be a positive integer');
      if (!isBlockId(raw.blockId)) return fail('requestFeatureMaps: blockId must be a block name');
      const probe = checkProbeChoice(raw.probe);
      if (!probe.ok) return fail(`requestFeatureMaps: ${probe.error}`);
      return { ok: true, message: { type: 'requestFeatureMaps', requestId: raw.requestId, blockId: raw.blockId, probe: probe.value } };
    }
    case 'predictDigit': {
      if (!isRequestId(raw.requestId)) return fail('predictDigit: requestId must be a positive integer');
      const pixels = checkDigitPixels(raw.pixels);
      if (!pixels.ok) return fail(`predictDigit: ${pixels.error}`);
      return { ok: true, message: { type: 'predictDigit', requestId: raw.requestId, pixels: pixels.value } };
    }
    case 'requestProbeDigits':
      if (!isRequestId(raw.requestId)) return fail('requestProbeDigits: requestId must be a positive integer');
      return { ok: true, message: { type: 'requestProbeDigits', requestId: raw.requestId } };
    default:
      return fail(`unknown message type ${JSON.stringify(raw.type)}`);
  }
}

const TRAINER_MESSAGE_TYPES = ['ready', 'started', 'progress', 'evaluation', 'activations', 'blockDetails', 'checkpointSaved', 'runState', 'finished', 'error',
  'inspecting', 'featureMaps', 'digitPrediction', 'probeDigits', 'requestSuperseded'] as const;
const PAYLOAD_KEY: Partial<Record<TrainerToHostMessage['type'], string>> = {
  ready: 'architecture', started: 'config', progress: 'progress', evaluation: 'evaluation', activations: 'activations',
  blockDetails: 'details', checkpointSaved: 'checkpoint', finished: 'summary',
  featureMaps: 'maps', digitPrediction: 'prediction', probeDigits: 'probes',
};

/**
 * The host's guard on the trainer's messages. The trainer is our own code, so this checks the
 * envelope (type, payload object, request id, error text) rather than every statistic: enough
 * that a corrupted or foreign message can't be mistaken for a real one.
 */
export function parseTrainerToHost(raw: unknown): ParseResult<TrainerToHostMessage> {
  if (!isRecord(raw)) return fail('message is not an object');
  if (!isOneOf(raw.type, TRAINER_MESSAGE_TYPES)) return fail(`unknown message type ${JSON.stringify(raw.type)}`);
  const payloadKey = PAYLOAD_KEY[raw.type];
  if (payloadKey && !isRecord(raw[payloadKey])) return fail(`${raw.type}: ${payloadKey} must be an object`);
  switch (raw.type) {
    case 'ready':
      if (raw.protocolVersion !== TRAINER_PROTOCOL_VERSION) return fail(`ready: protocol version ${String(raw.protocolVersion)} is not ${TRAINER_PROTOCOL_VERSION}`);
      break;
    case 'started':
      if (validateConfig(raw.config as Record<string, unknown>).length > 0) return fail('started: config is invalid');
      if (!isIntegerIn(raw.startStep, 0, Number.MAX_SAFE_INTEGER)) return fail('started: startStep must be a whole number');
      if (!isRecord(raw.history) || !Array.isArray(raw.history.progress) || !Array.isArray(raw.history.evaluations)) return fail('started: history must hold progress and evaluations');
      break;
    case 'blockDetails':
    case 'featureMaps':
    case 'digitPrediction':
    case 'probeDigits':
    case 'requestSuperseded':
      if (!isRequestId(raw.requestId)) return fail(`${raw.type}: requestId must be a positive integer`);
      break;
    case 'runState':
      if (!isOneOf(raw.state, ['running', 'paused'] as const)) return fail('runState: state must be running or paused');
      break;
    case 'error':
      if (!isShortString(raw.message, 65536)) return fail('error: message must be a string');
      if (typeof raw.fatal !== 'boolean') return fail('error: fatal must be true or false');
      if (raw.requestId !== undefined && !isRequestId(raw.requestId)) return fail('error: requestId must be a positive integer');
      break;
    case 'evaluation':
      if (raw.requestId !== undefined && !isRequestId(raw.requestId)) return fail('evaluation: requestId must be a positive integer');
      break;
    default:
      break;
  }
  return { ok: true, message: raw as unknown as TrainerToHostMessage };
}
