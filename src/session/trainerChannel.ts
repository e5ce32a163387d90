// What the host's side of a trainer is, whatever carries its messages (Node IPC to an attached
// child, or the local socket of a detached one): typed messages in and out, every inbound one
// checked by the trainer→host guard, requests that await the reply carrying their id, and every
// pending request settled when the trainer ends, however it ends. No vscode import, so the
// session state machine can be tested against a fake.
import {
  parseTrainerToHost, type DetachedStart, type HostToTrainerMessage, type TrainerReplyTo, type TrainerRequestType, type TrainerToHostMessage, type UnnumberedRequest,
} from '../../shared/trainerProtocol';
import type { TrainingConfig } from '../../shared/trainingConfig';
import { replyOutcome } from './trainerReplies';

export interface TrainerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** What the session needs from a running trainer. */
export interface TrainerConnection {
  send(message: HostToTrainerMessage): void;
  /**
   * Sends `request` with a fresh id and resolves with the reply the protocol pairs with it
   * (TRAINER_REPLY_TYPES); rejects on an error reply, a superseded request (SupersededError), a
   * reply of another type, or the trainer exiting first.
   */
  askFor<R extends UnnumberedRequest>(request: R): Promise<TrainerReplyTo<R['type']>>;
  onMessage(listener: (message: TrainerToHostMessage) => void): void;
  onExit(listener: (exit: TrainerExit) => void): void;
  /** Messages that failed the guard, for the log. */
  onRejected(listener: (problem: string) => void): void;
  /** Lines the trainer wrote to stderr, for the log. */
  onStderr(listener: (line: string) => void): void;
  kill(): void;
  readonly exited: boolean;
  /**
   * A detached trainer: it records its run folder itself and outlives this window. Leaving it
   * (disconnect) does not stop it. Absent: an attached child whose host records the run.
   */
  readonly detached?: boolean;
  /** Stops listening without ending the trainer (a detached one goes on; an attached child ends). */
  disconnect?(): void;
}

/**
 * Starts a trainer for a run with `config`: its backend decides the process's environment.
 * orders: a detached trainer's start orders (it records orders.detached.runDir and starts on its
 * own); none: an attached child told what to do once ready, e.g. to inspect a checkpoint.
 */
export type TrainerLauncher = (config: TrainingConfig, orders?: DetachedStart) => TrainerConnection;

type Pending = { requestType: TrainerRequestType; resolve: (message: TrainerToHostMessage) => void; reject: (error: Error) => void };

/** The transport-independent half: guard, listeners, request ids and their settlement. */
export abstract class TrainerChannel implements TrainerConnection {
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 1;
  private readonly messageListeners: ((message: TrainerToHostMessage) => void)[] = [];
  private readonly exitListeners: ((exit: TrainerExit) => void)[] = [];
  private readonly rejectedListeners: ((problem: string) => void)[] = [];
  private readonly stderrListeners: ((line: string) => void)[] = [];
  exited = false;

  /** Puts one message on the wire (only called while the trainer has not exited). */
  protected abstract transmit(message: HostToTrainerMessage): void;
  abstract kill(): void;

  /** A value off the wire: delivered if the guard accepts it, reported as rejected if not. */
  protected receive(raw: unknown): void {
    const parsed = parseTrainerToHost(raw);
    if (!parsed.ok) {
      this.rejected(parsed.error);
      return;
    }
    const message = parsed.message;
    const requestId = 'requestId' in message ? message.requestId : undefined;
    if (requestId !== undefined && this.pending.has(requestId)) {
      const pending = this.pending.get(requestId)!;
      this.pending.delete(requestId);
      const outcome = replyOutcome(pending.requestType, message);
      if (outcome.ok) pending.resolve(outcome.reply);
      else pending.reject(outcome.error);
    }
    for (const l of this.messageListeners) l(message);
  }

  protected rejected(problem: string): void {
    for (const l of this.rejectedListeners) l(problem);
  }

  protected stderrLine(line: string): void {
    for (const l of this.stderrListeners) l(line);
  }

  /** The trainer has ended (or can no longer be reached): reported once, pending requests fail. */
  protected ended(exit: TrainerExit, reason: string): void {
    if (this.exited) return;
    this.exited = true;
    this.rejectAll(new Error(reason));
    for (const l of this.exitListeners) l(exit);
  }

  protected rejectAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  askFor<R extends UnnumberedRequest>(request: R): Promise<TrainerReplyTo<R['type']>> {
    if (this.exited) return Promise.reject(new Error('the trainer is not running'));
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      // replyOutcome resolves only with the reply type R's type is paired with.
      this.pending.set(requestId, { requestType: request.type, resolve: resolve as (message: TrainerToHostMessage) => void, reject });
      this.send({ ...request, requestId } as HostToTrainerMessage);
    });
  }

  send(message: HostToTrainerMessage): void {
    if (!this.exited) this.transmit(message);
  }

  onMessage(listener: (message: TrainerToHostMessage) => void): void {
    this.messageListeners.push(listener);
  }

  onExit(listener: (exit: TrainerExit) => void): void {
    this.exitListeners.push(listener);
  }

  onRejected(listener: (problem: string) => void): void {
    this.rejectedListeners.push(listener);
  }

  onStderr(listener: (line: string) => void): void {
    this.stderrListeners.push(listener);
  }
}
