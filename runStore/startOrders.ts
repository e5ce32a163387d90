// A detached trainer's start orders: the `start` message its window would have sent, written
// into the run folder (start.json, atomically) before the trainer is spawned, so the trainer
// needs nothing from the window to begin; a window reloaded (or crashed) in the first moment of a
// run loses nothing. The trainer is told its run folder (and who launched it) in its environment.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseHostToTrainer, type DetachedStart } from '../shared/trainerProtocol';
import { writeFileAtomic } from './atomicFile';

export const START_ORDERS_FILE = 'start.json';
/** The run folder a detached trainer trains (its socket address and start orders follow from it). */
export const TRAINER_RUN_DIR_ENV = 'RESNET_LAB_TRAINER_RUN_DIR';
/** The pid of the window that launched it, whose lock it takes up (see RunLock.claim). */
export const TRAINER_LAUNCHER_PID_ENV = 'RESNET_LAB_TRAINER_LAUNCHER_PID';

export function writeStartOrders(orders: DetachedStart): void {
  writeFileAtomic(path.join(orders.detached.runDir, START_ORDERS_FILE), `${JSON.stringify(orders, null, 2)}\n`);
}

/** The run's start orders, checked by the same guard as a `start` on the wire; throws a readable Error if they are missing or malformed. */
export function readStartOrders(runDir: string): DetachedStart {
  const file = path.join(runDir, START_ORDERS_FILE);
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(`the run's start orders (${START_ORDERS_FILE}) ${missing ? 'are missing' : `cannot be read: ${(error as Error).message}`}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error(`the run's start orders (${START_ORDERS_FILE}) are not JSON (torn or foreign)`);
  }
  const parsed = parseHostToTrainer(value);
  if (!parsed.ok) throw new Error(`the run's start orders (${START_ORDERS_FILE}) are malformed: ${parsed.error}`);
  const orders = parsed.message;
  if (orders.type !== 'start') throw new Error(`the run's start orders (${START_ORDERS_FILE}) are a ${orders.type} message, not start`);
  if (orders.detached === null || path.resolve(orders.detached.runDir) !== path.resolve(runDir)) {
    throw new Error(`the run's start orders (${START_ORDERS_FILE}) are not for this run folder`);
  }
  return { ...orders, detached: orders.detached };
}
