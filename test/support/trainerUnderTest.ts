// The built trainer bundle forked and driven over IPC exactly as the extension host does; every
// message it sends must pass the host's guard.
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { parseTrainerToHost, type HostToTrainerMessage, type TrainerToHostMessage } from '../../shared/trainerProtocol';
import { trainerBundle } from './paths';
import { ReceivedMessages } from './receivedMessages';

export class TrainerUnderTest {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  private readonly messages: ReceivedMessages;

  constructor(extraEnv: Record<string, string> = {}) {
    this.child = fork(trainerBundle, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', ...extraEnv } });
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.messages = new ReceivedMessages(this.exited.then((code) => `trainer exited (${code})`));
    this.child.on('message', (raw) => {
      const parsed = parseTrainerToHost(raw);
      assert.ok(parsed.ok, `trainer sent a malformed message: ${JSON.stringify(raw).slice(0, 200)}`);
      this.messages.add(parsed.message);
    });
  }

  get received(): readonly TrainerToHostMessage[] {
    return this.messages.list;
  }

  send(message: HostToTrainerMessage | Record<string, unknown>): void {
    this.child.send(message);
  }

  waitFor<T extends TrainerToHostMessage['type']>(type: T, match: (m: Extract<TrainerToHostMessage, { type: T }>) => boolean = () => true): Promise<Extract<TrainerToHostMessage, { type: T }>> {
    return this.messages.waitFor(type, match);
  }

}
