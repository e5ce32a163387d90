// Drives a real detached trainer (dist/trainer.js) as a window does: creates a run in a runs root,
// launches the trainer on it with DetachedTrainer (start orders and lock handed over), and records every
// message so a test can wait for one. Also: waiting for a process to be gone, by polling its pid.
import * as fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { seedResNetArchitecture } from '../../shared/architecture';
import type { TrainerToHostMessage } from '../../shared/trainerProtocol';
import { resolveConfig, type TrainingConfig } from '../../shared/trainingConfig';
import { isProcessAlive } from '../../runStore/runLock';
import { RunStore } from '../../runStore/runStore';
import { DetachedTrainer } from '../../src/session/detachedTrainer';
import type { TrainerConnection } from '../../src/session/trainerChannel';
import { trainerBundle } from './paths';
import { ReceivedMessages } from './receivedMessages';

/** A few images per step, progress every step, no scheduled evaluations or checkpoints. */
export const tinyConfig = (steps: number): TrainingConfig => resolveConfig('default', { steps, batchSize: 4, logEvery: 1, evalEvery: 0, checkpointEvery: 0 });

/** Every message a connection receives, and a way to wait for one. */
export class Follower {
  readonly rejected: string[] = [];
  private readonly messages: ReceivedMessages;

  constructor(readonly trainer: TrainerConnection) {
    this.messages = new ReceivedMessages(new Promise((resolve) => trainer.onExit((exit) => resolve(`the trainer ended (${JSON.stringify(exit)})`))));
    trainer.onMessage((message) => this.messages.add(message));
    trainer.onRejected((problem) => this.rejected.push(problem));
  }

  get received(): readonly TrainerToHostMessage[] {
    return this.messages.list;
  }

  waitFor<T extends TrainerToHostMessage['type']>(type: T, match: (m: Extract<TrainerToHostMessage, { type: T }>) => boolean = () => true): Promise<Extract<TrainerToHostMessage, { type: T }>> {
    return this.messages.waitFor(type, match);
  }
}

export interface DetachedOptions { steps: number; graceMs: number; keepTraining: boolean; windowId?: string }

/** A new run in `root`, trained by a detached trainer this process launched (and hands the run to). */
export function launchDetachedRun(root: string, options: DetachedOptions): { follower: Follower; runId: string; runDir: string; pid: () => number } {
  const store = new RunStore(root);
  const config = tinyConfig(options.steps);
  const writer = store.create(config, seedResNetArchitecture(config.keepProb), 'extension');
  const trainer = DetachedTrainer.launch(trainerBundle, {}, {
    type: 'start', config, checkpointDir: writer.checkpointDir, resume: false, architecture: null,
    detached: { runDir: writer.dir, windowId: options.windowId ?? 'window-1', graceMs: options.graceMs, keepTraining: options.keepTraining },
  });
  return { follower: new Follower(trainer), runId: writer.id, runDir: writer.dir, pid: () => ownerPid(store, writer.id) };
}

/** The pid in the run's lock (the trainer's, once it has taken the run over). */
export function ownerPid(store: RunStore, runId: string): number {
  const lock = store.get(runId)?.lock;
  if (lock?.kind !== 'held') throw new Error(`run ${runId} is not locked (${lock?.kind})`);
  return lock.owner.pid;
}

/** Resolves once `pid` has exited (no time limit: the test waits on the observable state). */
export async function processGone(pid: number): Promise<void> {
  while (isProcessAlive(pid) && !isZombie(pid)) await sleep(50);
}

function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}
