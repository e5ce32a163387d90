// Stands in for the trainer's ChildProcess under TrainerProcess, so a test can put any value on
// the "wire" (message events) at the speed of a function call, including values JSON could not
// carry. What TrainerProcess sends back is kept in `sent`.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';

export class WireChild extends EventEmitter {
  connected = true;
  readonly pid = 4242;
  readonly stderr = new PassThrough();
  readonly sent: unknown[] = [];

  send(message: unknown, callback?: (error: Error | null) => void): boolean {
    this.sent.push(message);
    callback?.(null);
    return true;
  }

  /** The trainer puts a message on the wire. */
  deliver(message: unknown): void {
    this.emit('message', message);
  }

  kill(): boolean {
    this.exit(null, 'SIGKILL');
    return true;
  }

  exit(code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.connected) return;
    this.connected = false;
    this.stderr.end();
    this.stderr.once('end', () => this.emit('close', code, signal));
    this.stderr.resume();
  }
}
