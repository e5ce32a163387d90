// The trainer's side of the inside views: answers feature-map, prediction and probe-digit
// requests from the run's current weights, through LatestRequestSlots so that they run between
// steps, throttled, with superseded requests dropped. Failures answer the request; they never
// end the process.
import * as tf from '@tensorflow/tfjs-core';
import { errorMessage } from '../../shared/errorMessage';
import { probeRef, type InsideRequestKind } from '../../shared/insideViews';
import type { HostToTrainerMessage, TrainerToHostMessage } from '../../shared/trainerProtocol';
import { digitTensor, predictDigit } from './digitPrediction';
import { computeFeatureMaps } from './featureMaps';
import type { InsideViewSource } from './insideViewSource';
import { LatestRequestSlots } from '../../shared/latestRequestSlots';
import { probeDigits, probeImage, probeIndices } from './probeDigits';

/** The most often each kind runs: feature maps ≤ 4/s, predictions ≤ 10/s (the panel asks less often). */
export const TRAINER_MIN_INTERVAL_MS: Readonly<Record<InsideRequestKind, number>> = { featureMaps: 250, prediction: 100, probeDigits: 0 };
/**
 * While training, each kind's answers take at most this share of the trainer's time (feature maps
 * and predictions together 2 %), so training with the views open keeps ≥ 0.95× the CLI's pace.
 * At 1 % a res2a update still refreshes about once a second at batch 10; the host's side of the
 * answers measured under 1 % of one core (README, "Inside the network").
 */
export const TRAINING_SHARE_PER_KIND = 0.01;

export type InsideRequestMessage = Extract<HostToTrainerMessage, { type: 'requestFeatureMaps' | 'predictDigit' | 'requestProbeDigits' }>;

export class InsideRequests {
  private readonly slots: LatestRequestSlots<InsideRequestKind>;
  private indices: number[] | null = null;

  /** training: the run is taking steps now (its answers are then held to TRAINING_SHARE_PER_KIND). */
  constructor(private readonly send: (message: TrainerToHostMessage) => void, private readonly source: () => InsideViewSource | null, training: () => boolean) {
    this.slots = new LatestRequestSlots(TRAINER_MIN_INTERVAL_MS, (requestId) => send({ type: 'requestSuperseded', requestId }), undefined, { share: TRAINING_SHARE_PER_KIND, applies: training });
  }

  submit(message: InsideRequestMessage): void {
    const kind: InsideRequestKind = message.type === 'requestFeatureMaps' ? 'featureMaps' : message.type === 'predictDigit' ? 'prediction' : 'probeDigits';
    this.slots.submit(kind, message.requestId, () => this.answer(message));
  }

  private answer(message: InsideRequestMessage): void {
    const source = this.source();
    if (!source) {
      this.send({ type: 'error', message: 'The model is not loaded yet; try again once training has started.', fatal: false, requestId: message.requestId });
      return;
    }
    try {
      this.indices ??= probeIndices(source.validation);
      switch (message.type) {
        case 'requestProbeDigits':
          this.send({ type: 'probeDigits', requestId: message.requestId, probes: probeDigits(source.validation, this.indices) });
          break;
        case 'predictDigit':
          this.send({ type: 'digitPrediction', requestId: message.requestId, prediction: predictDigit(source, message.pixels) });
          break;
        case 'requestFeatureMaps': {
          const { probe } = message;
          const image = probe.kind === 'probe' ? probeImage(source.validation, this.indices, probe.digit) : digitTensor(probe.pixels);
          try {
            this.send({ type: 'featureMaps', requestId: message.requestId, maps: computeFeatureMaps(source, message.blockId, image, probeRef(probe)) });
          } finally {
            tf.dispose(image);
          }
          break;
        }
        default: {
          const unknown: never = message;
          throw new Error(`unhandled request ${JSON.stringify(unknown)}`);
        }
      }
    } catch (error) {
      this.send({ type: 'error', message: errorMessage(error), fatal: false, requestId: message.requestId });
    }
  }

  dispose(): void {
    this.slots.clear();
  }
}
