// The built trainer bundle forked and driven over IPC exactly as the extension host does; every
// message it sends must pass the host's guard.
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { parseTrainerToHost, type HostToTrainerMessage, type TrainerToHostMessage } from '../../shared/trainerProtocol';
import { trainerBundle } from './paths';

export class TrainerUnderTest {
  readonly child: ChildProcess;
  readonly received: TrainerToHostMessage[] = [];
  private waiters: { match: (m: TrainerToHostMessage) => boolean; resolve: (m: TrainerToHostMessage) => void }[] = [];
  readonly exited: Promise<number | null>;

  constructor(extraEnv: Record<string, string> = {}) {
    this.child = fork(trainerBundle, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', ...extraEnv } });
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.on('message', (raw) => {
      const parsed = parseTrainerToHost(raw);
      assert.ok(parsed.ok, `trainer sent a malformed message: ${JSON.stringify(raw).slice(0, 200)}`);
      this.received.push(parsed.message);
      for (const w of this.waiters.splice(0)) (w.match(parsed.message) ? w.resolve(parsed.message) : this.waiters.push(w));
    });
  }

  send(message: HostToTrainerMessage | Record<string, unknown>): void {
    this.child.send(message);
  }

  waitFor<T extends TrainerToHostMessage['type']>(type: T, match: (m: Extract<TrainerToHostMessage, { type: T }>) => boolean = () => true): Promise<Extract<TrainerToHostMessage, { type: T }>> {
    const test = (m: TrainerToHostMessage) => m.type === type && match(m as Extract<TrainerToHostMessage, { type: T }>);
    const found = this.received.find(test);
    if (found) return Promise.resolve(found as Extract<TrainerToHostMessage, { type: T }>);
    return new Promise((resolve, reject) => {
      this.waiters.push({ match: test, resolve: resolve as (m: TrainerToHostMessage) => void });
      void this.exited.then((code) => reject(new Error(`trainer exited (${code}) while waiting for ${type}; got ${this.received.map((m) => m.type).join(', ')}`)));
    });
  }
}
