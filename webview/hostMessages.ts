// Guard for what arrives on window 'message'. The host is trusted more than the webview is, but
// a malformed message must not throw halfway through a render, so shapes are checked before use.
import type { HostToWebviewMessage } from '../shared/webviewProtocol';
import { comparisonMessageShape, isSettingsResult, SESSION_STATES } from '../shared/webviewProtocol';
import { architecturePreviewMessage } from '../shared/architecturePreview';
import { isErrorGallery } from '../shared/errorGallery';
import { digitPrediction, featureMapsReport, insideRequestKind, probeDigits } from '../shared/insideViews';
import { exactly, isOneOf, isRecord, isRequestId, isShortString, shape, text, type Check, type UnknownRecord } from '../shared/validation';

const isNumber = (value: unknown): value is number => typeof value === 'number';

function looksLikeSnapshot(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const architectureOk = value.architecture === null || (isRecord(value.architecture) && isRecord(value.architecture.spec) &&
    Array.isArray(value.architecture.spec.blocks) && isRecord(value.architecture.figures) && Array.isArray(value.architecture.figures.blocks));
  return isOneOf(value.state, SESSION_STATES) && architectureOk && isNumber(value.step) && isNumber(value.totalSteps) &&
    Array.isArray(value.progress) && Array.isArray(value.evaluations) && typeof value.canResume === 'boolean';
}

function looksLikeBlockDetails(value: unknown): boolean {
  return isRecord(value) && isShortString(value.blockId, 64) && isNumber(value.step) && Array.isArray(value.weights) && Array.isArray(value.activations);
}

/** The inside views' replies, checked field by field with the shapes the trainer's replies pass. */
const INSIDE_VIEW_SHAPES: Readonly<Record<string, Check>> = {
  featureMaps: shape({ type: exactly('featureMaps'), maps: featureMapsReport }),
  digitPrediction: shape({ type: exactly('digitPrediction'), prediction: digitPrediction }),
  probeDigits: shape({ type: exactly('probeDigits'), probes: probeDigits }),
  insideUnavailable: shape({ type: exactly('insideUnavailable'), kind: insideRequestKind, reason: text() }),
};

/** The message if its shape is right, otherwise null (the caller logs and drops it). */
export function parseHostMessage(raw: unknown): HostToWebviewMessage | null {
  if (!isRecord(raw)) return null;
  const message: UnknownRecord = raw;
  switch (message.type) {
    case 'snapshot':
      return looksLikeSnapshot(message.snapshot) && isSettingsResult(message.nextRun) ? (message as unknown as HostToWebviewMessage) : null;
    case 'blockDetails':
      return looksLikeBlockDetails(message.details) ? (message as unknown as HostToWebviewMessage) : null;
    case 'gallery':
      return isRequestId(message.requestId) && isErrorGallery(message.gallery) ? (message as unknown as HostToWebviewMessage) : null;
    case 'galleryUnavailable':
      return isRequestId(message.requestId) && isShortString(message.reason) ? (message as unknown as HostToWebviewMessage) : null;
    case 'comparison':
      return comparisonMessageShape(message, 'comparison') === null ? (message as unknown as HostToWebviewMessage) : null;
    case 'blockDetailsUnavailable':
      return isShortString(message.blockId, 64) && isShortString(message.reason) ? (message as unknown as HostToWebviewMessage) : null;
    case 'architecturePreview':
      // Drawn straight into the diagram and table: every field checked, as the trainer's reports are.
      return architecturePreviewMessage(message, 'architecturePreview') === null ? (message as unknown as HostToWebviewMessage) : null;
    case 'featureMaps':
    case 'digitPrediction':
    case 'probeDigits':
    case 'insideUnavailable':
      return INSIDE_VIEW_SHAPES[message.type]!(message, message.type) === null ? (message as unknown as HostToWebviewMessage) : null;
    default:
      return null;
  }
}
