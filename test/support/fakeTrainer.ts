// A scripted stand-in for the trainer process, for testing the host's state machine only.
import type { HostToTrainerMessage, TrainerReplyTo, TrainerRequest, TrainerToHostMessage, UnnumberedRequest } from '../../shared/trainerProtocol';
import type { EvaluationReport } from '../../shared/trainingReports';
import type { TrainerConnection, TrainerExit } from '../../src/session/trainerProcess';
import { replyOutcome } from '../../src/session/trainerReplies';

export class FakeTrainer implements TrainerConnection {
  readonly sent: HostToTrainerMessage[] = [];
  exited = false;
  killed = false;
  /** Stands in for a detached trainer (which a window leaves rather than ends). */
  detached = false;
  disconnected = false;
  private messageListeners: ((m: TrainerToHostMessage) => void)[] = [];
  private exitListeners: ((e: TrainerExit) => void)[] = [];
  evaluation: EvaluationReport | Error = new Error('no evaluation scripted');

  send(message: HostToTrainerMessage): void {
    this.sent.push(message);
  }

  /** How askFor() replies to a request (the id is filled in); by default the replies below, else an error. */
  answer: (request: TrainerRequest) => TrainerToHostMessage = (request) => this.defaultAnswer(request);
  private nextRequestId = 1;

  askFor<R extends UnnumberedRequest>(request: R): Promise<TrainerReplyTo<R['type']>> {
    const numbered = { ...request, requestId: this.nextRequestId++ } as TrainerRequest;
    this.sent.push(numbered);
    const outcome = replyOutcome(request.type, { ...this.answer(numbered), requestId: numbered.requestId } as TrainerToHostMessage);
    return outcome.ok ? Promise.resolve(outcome.reply as TrainerReplyTo<R['type']>) : Promise.reject(outcome.error);
  }

  private defaultAnswer(request: TrainerRequest): TrainerToHostMessage {
    const { requestId } = request;
    switch (request.type) {
      case 'evaluate':
        return this.evaluation instanceof Error
          ? { type: 'error', message: this.evaluation.message, fatal: false, requestId }
          : { type: 'evaluation', evaluation: this.evaluation, requestId };
      case 'describeBlock':
        return { type: 'blockDetails', requestId, details: { blockId: request.blockId, step: 0, weights: [], activations: [] } };
      case 'gallery':
        return { type: 'gallery', requestId, gallery: { query: request.query, matches: 0, indices: [], labels: [], pixels: '', topPredictions: '' } };
      default:
        return { type: 'error', message: 'no reply scripted', fatal: false, requestId };
    }
  }

  onMessage(listener: (m: TrainerToHostMessage) => void): void {
    this.messageListeners.push(listener);
  }

  onExit(listener: (e: TrainerExit) => void): void {
    this.exitListeners.push(listener);
  }

  private stderrListeners: ((line: string) => void)[] = [];

  onRejected(): void {}

  onStderr(listener: (line: string) => void): void {
    this.stderrListeners.push(listener);
  }

  /** The trainer writes a line to stderr. */
  writeStderr(line: string): void {
    for (const l of this.stderrListeners) l(line);
  }

  disconnect(): void {
    this.disconnected = true;
  }

  kill(): void {
    this.killed = true;
    this.exit({ code: null, signal: 'SIGKILL' });
  }

  /** The trainer says something. */
  emit(message: TrainerToHostMessage): void {
    for (const l of this.messageListeners) l(message);
  }

  /** The process ends. */
  exit(exit: TrainerExit): void {
    if (this.exited) return;
    this.exited = true;
    for (const l of this.exitListeners) l(exit);
  }
}
