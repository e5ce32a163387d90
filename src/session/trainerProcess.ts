// An attached trainer: a child forked with a Node IPC channel, which ends with its host (the
// trainer stops when the channel disconnects). Used to inspect a stored run's checkpoint; runs
// are trained by a detached trainer (detachedTrainer.ts).
import { fork, type ChildProcess } from 'node:child_process';
import type { HostToTrainerMessage } from '../../shared/trainerProtocol';
import { TrainerChannel } from './trainerChannel';

export type { TrainerConnection, TrainerExit, TrainerLauncher } from './trainerChannel';

export class TrainerProcess extends TrainerChannel {
  private readonly child: ChildProcess;

  /** Forks `trainer` (a script path), or wraps a child already running (tests). */
  constructor(trainer: string | ChildProcess, env: NodeJS.ProcessEnv = {}) {
    super();
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
      for (const line of lines) if (line.trim()) this.stderrLine(line);
    });
    // A last line without a newline (a native abort's message) still counts.
    this.child.stderr?.on('end', () => {
      if (buffered.trim()) this.stderrLine(buffered);
      buffered = '';
    });
    this.child.on('message', (raw: unknown) => this.receive(raw));
    this.child.on('error', (error) => {
      this.rejectAll(new Error(`trainer process error: ${error.message}`));
      // A child that never started emits no 'exit'; report one so nothing waits forever.
      if (this.child.pid === undefined) this.ended({ code: null, signal: null }, `trainer process error: ${error.message}`);
    });
    // 'close' rather than 'exit': it comes after stderr has been read to the end, so a crash
    // report can quote the trainer's last words.
    this.child.on('close', (code, signal) => {
      this.ended({ code, signal }, signal ? `the trainer was killed (${signal})` : `the trainer exited (code ${code})`);
    });
  }

  protected transmit(message: HostToTrainerMessage): void {
    if (!this.child.connected) return;
    this.child.send(message, (error) => {
      if (error) this.rejectAll(new Error(`could not reach the trainer: ${error.message}`));
    });
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
