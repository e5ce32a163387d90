// The trainer child process as the host sees it: typed messages in and out, requests that await
// a reply by id, and every pending request settled when the child exits, however it exits.
// No vscode import, so the session state machine can be tested against a fake.
import { fork, type ChildProcess } from 'node:child_process';
import {
  parseTrainerToHost, type HostToTrainerMessage, type TrainerReplyTo, type TrainerRequestType, type TrainerToHostMessage, type UnnumberedRequest,
} from '../../shared/trainerProtocol';
import type { TrainingConfig } from '../../shared/trainingConfig';
import { replyOutcome } from './trainerReplies';

export interface TrainerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** What the session needs from a running trainer; the real one is a child process. */
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
  /** Lines the child wrote to stderr, for the log. */
  onStderr(listener: (line: string) => void): void;
  kill(): void;
  readonly exited: boolean;
}

/** Starts a trainer for a run with `config`: its backend decides the process's environment. */
export type TrainerLauncher = (config: TrainingConfig) => TrainerConnection;

type Pending = { requestType: TrainerRequestType; resolve: (message: TrainerToHostMessage) => void; reject: (error: Error) => void };

export class TrainerProcess implements TrainerConnection {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 1;
  private readonly messageListeners: ((message: TrainerToHostMessage) => void)[] = [];
  private readonly exitListeners: ((exit: TrainerExit) => void)[] = [];
  private readonly rejectedListeners: ((problem: string) => void)[] = [];
  private readonly stderrListeners: ((line: string) => void)[] = [];
  exited = false;

  /** Forks `trainer` (a script path), or wraps a child already running (tests). */
  constructor(trainer: string | ChildProcess, env: NodeJS.ProcessEnv = {}) {
    this.child = typeof trainer !== 'string' ? trainer : fork(trainer, [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // TF_CPP_MIN_LOG_LEVEL=2 keeps libtensorflow's start-up banner out of the log.
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', ...env },
      execArgv: [],
    });
    let buffered = '';
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) for (const l of this.stderrListeners) l(line);
    });
    // A last line without a newline (a native abort's message) still counts.
    this.child.stderr?.on('end', () => {
      if (buffered.trim()) for (const l of this.stderrListeners) l(buffered);
      buffered = '';
    });
    this.child.on('message', (raw: unknown) => this.receive(raw));
    this.child.on('error', (error) => {
      this.rejectAll(new Error(`trainer process error: ${error.message}`));
      // A child that never started emits no 'exit'; report one so nothing waits forever.
      if (this.child.pid === undefined && !this.exited) {
        this.exited = true;
        for (const l of this.exitListeners) l({ code: null, signal: null });
      }
    });
    // 'close' rather than 'exit': it comes after stderr has been read to the end, so a crash
    // report can quote the trainer's last words.
    this.child.on('close', (code, signal) => {
      if (this.exited) return;
      this.exited = true;
      this.rejectAll(new Error(signal ? `the trainer was killed (${signal})` : `the trainer exited (code ${code})`));
      for (const l of this.exitListeners) l({ code, signal });
    });
  }

  private receive(raw: unknown): void {
    const parsed = parseTrainerToHost(raw);
    if (!parsed.ok) {
      for (const l of this.rejectedListeners) l(parsed.error);
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

  private rejectAll(error: Error): void {
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
    if (this.exited || !this.child.connected) return;
    this.child.send(message, (error) => {
      if (error) this.rejectAll(new Error(`could not reach the trainer: ${error.message}`));
    });
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

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
