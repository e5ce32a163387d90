// A detached trainer as a window sees it: a process in its own process group, with no IPC
// channel, that records its run folder itself and outlives the extension host (a window reload
// never stops training). Windows talk to it over its local socket in the run's folder, in the
// trainer protocol framed as JSON lines. `launch` starts one for a run (handing it the run's start
// orders and lock); `attach` connects to one found running (after a reload, or from a second window).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { lockState, RunLock } from '../../runStore/runLock';
import { TRAINER_LAUNCHER_PID_ENV, TRAINER_RUN_DIR_ENV, writeStartOrders } from '../../runStore/startOrders';
import { TRAINER_LOG_FILE, trainerSocketAddress } from '../../runStore/trainerSocketAddress';
import { encodeLine, LineDecoder } from '../../shared/lineFraming';
import type { DetachedStart, HostToTrainerMessage } from '../../shared/trainerProtocol';
import { TrainerChannel } from './trainerChannel';

/** How often a launching window retries the socket until the new trainer listens. */
const CONNECT_RETRY_MS = 100;
/** Lines of trainer.log quoted when a trainer ends unexpectedly. */
const LOG_LINES_QUOTED = 5;

export class DetachedTrainer extends TrainerChannel {
  readonly detached = true;
  private socket: net.Socket | null = null;
  /** Messages sent before the socket connected, in order. */
  private readonly queued: string[] = [];
  private left = false;
  /** trainer.log's size when this window started following it: what is after it is this session's. */
  private readonly logOffset: number;

  private constructor(private readonly runDir: string, private readonly pid: number | undefined, private readonly child: ChildProcess | null) {
    super();
    this.logOffset = fileSize(path.join(runDir, TRAINER_LOG_FILE));
  }

  /**
   * Starts `script` detached for the run its start `orders` name; its stderr goes to the run's
   * trainer.log. The orders are written into the run folder first and the run's lock is handed to
   * the new process in the same tick as the spawn, so from then on the trainer needs nothing from
   * this window: a reload at any moment (before the trainer even listens) finds it by the lock.
   */
  static launch(script: string, env: NodeJS.ProcessEnv, orders: DetachedStart): DetachedTrainer {
    writeStartOrders(orders);
    return DetachedTrainer.launchOn(script, env, orders.detached.runDir, orders.detached.windowId);
  }

  /** launch's second half: starts `script` on the run in `runDir` whose start orders are in place (tests put broken ones there). */
  static launchOn(script: string, env: NodeJS.ProcessEnv, runDir: string, windowId: string): DetachedTrainer {
    const logFd = fs.openSync(path.join(runDir, TRAINER_LOG_FILE), 'a');
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, [script], {
        detached: true,
        stdio: ['ignore', 'ignore', logFd],
        // ELECTRON_RUN_AS_NODE: under desktop VS Code process.execPath is Electron (fork sets it; spawn must).
        // TF_CPP_MIN_LOG_LEVEL=2 keeps libtensorflow's start-up banner out of the log.
        env: {
          ...process.env, ELECTRON_RUN_AS_NODE: '1', TF_CPP_MIN_LOG_LEVEL: '2', ...env,
          [TRAINER_RUN_DIR_ENV]: runDir, [TRAINER_LAUNCHER_PID_ENV]: String(process.pid),
        },
      });
    } finally {
      fs.closeSync(logFd);
    }
    if (child.pid === undefined) {
      // Nothing was started: the run stays this window's, which records the failure.
      child.on('error', () => {});
      throw new Error(`could not start ${process.execPath}`);
    }
    RunLock.handOver(runDir, process.pid, child.pid, 'extension', windowId);
    // The window's event loop does not wait for it: it is meant to outlive this process.
    child.unref();
    const trainer = new DetachedTrainer(runDir, child.pid, child);
    child.on('error', (error) => trainer.finish({ code: null, signal: null }, `could not start the trainer: ${error.message}`));
    child.on('exit', (code, signal) => trainer.finish({ code, signal }, signal ? `the trainer was killed (${signal})` : `the trainer exited (code ${code})`));
    trainer.connect();
    return trainer;
  }

  /**
   * Connects to the live trainer `pid` that holds the lock of the run in `runDir`; one still
   * starting (a window reloaded just after launching it) is waited for until it listens.
   */
  static attach(runDir: string, pid: number): DetachedTrainer {
    const trainer = new DetachedTrainer(runDir, pid, null);
    trainer.connect();
    return trainer;
  }

  /** Retries (a trainer not listening yet) for as long as the launched process lives, or an attached one holds the run's lock. */
  private connect(): void {
    if (this.exited || this.left) return;
    const socket = net.createConnection(trainerSocketAddress(this.runDir));
    socket.setEncoding('utf8');
    let connected = false;
    socket.on('connect', () => {
      connected = true;
      this.socket = socket;
      for (const line of this.queued.splice(0)) socket.write(line);
    });
    const decoder = new LineDecoder();
    socket.on('data', (chunk: string) => {
      for (const line of decoder.push(chunk)) {
        if (this.left) return;
        if (line.ok) this.receive(line.value);
        else this.rejected(line.error);
      }
    });
    socket.on('error', () => { /* 'close' follows and decides */ });
    socket.on('close', () => {
      if (this.left || this.exited) return;
      const lock = this.child ? null : lockState(this.runDir);
      const stillHeld = lock?.kind === 'held' && lock.owner.pid === this.pid;
      if (!connected && (this.child !== null || stillHeld)) {
        setTimeout(() => this.connect(), CONNECT_RETRY_MS);
        return;
      }
      this.socket = null;
      // A launched trainer's own exit event says how it ended; an attached one's socket closing
      // is all this window learns: the run's lock tells whether it ended properly (released).
      if (this.child) return;
      const released = !(lock?.kind === 'stale' || stillHeld);
      this.finish({ code: released ? 0 : null, signal: null }, connected ? 'the trainer has gone' : 'could not connect to the trainer');
    });
  }

  protected transmit(message: HostToTrainerMessage): void {
    const line = encodeLine(message);
    if (this.socket) this.socket.write(line);
    else this.queued.push(line);
  }

  /** Leaves the trainer running: this window stops following it. */
  disconnect(): void {
    this.left = true;
    this.socket?.end();
    this.socket = null;
  }

  kill(): void {
    if (this.exited || this.pid === undefined) return;
    try {
      process.kill(this.pid, 'SIGKILL');
    } catch { /* already gone */ }
  }

  /** The trainer ended: what it wrote to its log since this window followed it, then the exit. */
  private finish(exit: { code: number | null; signal: NodeJS.Signals | null }, reason: string): void {
    if (this.exited || this.left) return;
    this.socket?.destroy();
    for (const line of logTail(path.join(this.runDir, TRAINER_LOG_FILE), this.logOffset)) this.stderrLine(line);
    this.ended(exit, reason);
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function logTail(file: string, from: number): string[] {
  try {
    const text = fs.readFileSync(file).subarray(from).toString('utf8');
    return text.split('\n').filter((line) => line.trim() !== '').slice(-LOG_LINES_QUOTED);
  } catch {
    return [];
  }
}
