// A scripted stand-in for the trainer process, for testing the host's state machine only.
import type { HostToTrainerMessage, TrainerToHostMessage } from '../../shared/trainerProtocol';
import type { ErrorGallery, GalleryQuery } from '../../shared/errorGallery';
import type { BlockDetails, EvaluationReport, EvaluationSplit } from '../../shared/trainingReports';
import type { TrainerConnection, TrainerExit } from '../../src/session/trainerProcess';

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

  evaluate(_split: EvaluationSplit): Promise<EvaluationReport> {
    return this.evaluation instanceof Error ? Promise.reject(this.evaluation) : Promise.resolve(this.evaluation);
  }

  describeBlock(blockId: string): Promise<BlockDetails> {
    return Promise.resolve({ blockId, step: 0, weights: [], activations: [] });
  }

  /** How ask() replies to a request; by default it fails. */
  answer: (request: HostToTrainerMessage) => TrainerToHostMessage = () => ({ type: 'error', message: 'no reply scripted', fatal: false });
  private nextRequestId = 1;

  ask(build: (requestId: number) => HostToTrainerMessage): Promise<TrainerToHostMessage> {
    const request = build(this.nextRequestId++);
    this.sent.push(request);
    const reply = this.answer(request);
    return reply.type === 'error' ? Promise.reject(new Error(reply.message)) : Promise.resolve(reply);
  }

  gallery(query: GalleryQuery): Promise<ErrorGallery> {
    return Promise.resolve({ query, matches: 0, indices: [], labels: [], pixels: '', topPredictions: '' });
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
