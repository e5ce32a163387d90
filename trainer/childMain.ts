// The trainer process of the VS Code extension. It speaks only the typed protocol in
// shared/trainerProtocol.ts and never imports vscode. Two ways to reach it:
// - detached (how runs are trained): launched in its own process group with its run folder in
//   RESNET_LAB_TRAINER_RUN_DIR, holding the run's lock from its spawn (the launching window hands
//   it over) and starting on the orders in the folder's start.json, so it needs no window to
//   begin; windows come and go over its socket (a reload reconnects), it records its run folder
//   itself, and with no window attached for the run's grace period it checkpoints and stops,
//   unless told to keep training;
// - attached (inspecting a stored checkpoint; tests): a forked child on Node IPC that ends with
//   its host.
import * as path from 'node:path';
import { parseHostToTrainer, TRAINER_PROTOCOL_VERSION, UNATTENDED_GRACE_MS, type DetachedRun, type DetachedStart, type HostToTrainerMessage, type TrainerToHostMessage } from '../shared/trainerProtocol';
import { errorMessage } from '../shared/errorMessage';
import type { RunPhase } from '../shared/runPhase';
import type { ErrorGallery, GalleryQuery } from '../shared/errorGallery';
import { PredictionFiles } from '../runStore/predictionFiles';
import { readHistory } from '../runStore/runHistoryFile';
import { RunStore } from '../runStore/runStore';
import type { RunWriter } from '../runStore/runWriter';
import { readStartOrders, START_ORDERS_FILE, TRAINER_LAUNCHER_PID_ENV, TRAINER_RUN_DIR_ENV } from '../runStore/startOrders';
import { trainerSocketAddress } from '../runStore/trainerSocketAddress';
import { InsideRequests } from './inspection/insideRequests';
import { RejectionLog } from '../shared/rejectionLog';
import { EvaluationPredictions } from './evaluation/evaluationPredictions';
import { evaluatedSplit } from './evaluation/runEvaluations';
import { loadRunMnist, prepareRun } from './prepareRun';
import { recordedSink } from './recordedSink';
import { PausableRunControl } from './runControl';
import { TrainerSocketServer } from './trainerSocketServer';
import type { TrainingEventSink } from './train/runEvents';
import type { TrainingRun } from './train/trainingRun';
import { UnattendedGrace } from './unattendedGrace';

/** A detached trainer's run folder (unset when attached over IPC). */
const detachedRunDir = process.env[TRAINER_RUN_DIR_ENV];
/** The detached trainer's socket (null until it listens, and when attached over IPC). */
let server: TrainerSocketServer | null = null;

function send(message: TrainerToHostMessage): void {
  if (server) {
    server.send(message);
    return;
  }
  // A parent that has gone away cannot be told anything; the disconnect handler ends us. The
  // callback keeps a send racing the disconnect from becoming an uncaught 'error' event.
  if (process.connected) process.send!(message, undefined, {}, () => {});
}

/** A window learns the run's network from `started` (replayed below to a window attaching mid-run), not from `ready`. */
const readyMessage: TrainerToHostMessage = { type: 'ready', protocolVersion: TRAINER_PROTOCOL_VERSION };
const control = new PausableRunControl();
let run: TrainingRun | null = null;
let started = false;
/** run.run() has returned: no loop is left to notice a stop, so stopping means exiting. */
let runReturned = false;
/** The run folder this (detached) trainer records, while it trains. */
let writer: RunWriter | null = null;
let detached: DetachedRun | null = null;
/** What a window attaching mid-run is told besides the history: the run's start, and its phase. */
let startedMessage: Extract<TrainerToHostMessage, { type: 'started' }> | null = null;
let latestPhase: RunPhase | null = null;
/** A run inspected for its galleries only: its stored evaluations' images, answered with no model loaded. */
let storedGallery: ((query: GalleryQuery) => ErrorGallery) | null = null;
const insideRequests = new InsideRequests(send, () => run?.insideView ?? null, () => run !== null && !runReturned);

/** No window for the grace period: a trainer with nothing to train (yet, or any more) leaves; a training one checkpoints and stops unless told to keep on. */
const grace = new UnattendedGrace(UNATTENDED_GRACE_MS, () => {
  if (!started || runReturned) {
    exit(0);
    return;
  }
  if (detached?.keepTraining) {
    console.error('no window attached: training on to the end (resnetLab.keepTrainingWhenEditorCloses)');
    return;
  }
  console.error('no window attached: writing a checkpoint and stopping');
  control.stop();
});

/**
 * Loads a stopped or finished run's checkpoint only to answer inside-view and gallery requests;
 * never trains. Asked for galleries only, it loads no model: the images of the run's stored
 * evaluations need its MNIST split and its run folder alone (and work with no checkpoint left).
 */
async function inspect(message: Extract<HostToTrainerMessage, { type: 'inspect' }>): Promise<void> {
  if (started) {
    send({ type: 'error', message: 'This trainer already holds a run; inspect ignored.', fatal: false });
    return;
  }
  started = true;
  try {
    let step: number | null = null;
    if (message.loadModel) {
      run = (await prepareRun(message.config, message.checkpointDir, true)).run;
      step = run.currentStep;
    } else {
      const dataset = await loadRunMnist(message.config);
      const predictions = new EvaluationPredictions(PredictionFiles.ofCheckpointFolder(message.checkpointDir));
      storedGallery = (query) => predictions.gallery(query, evaluatedSplit(dataset, query.split));
    }
    runReturned = true;
    if (control.stopRequested) exit(0);
    else send({ type: 'inspecting', step });
  } catch (error) {
    send({ type: 'error', message: errorMessage(error), fatal: true });
    exit(1);
  }
}

/** Becomes the writer of the run folder that `launcherPid` (the window that launched this trainer) handed over. */
function claimRunFolder(runDir: string, launcherPid: number, windowId?: string): RunWriter {
  const store = new RunStore(path.dirname(runDir), () => {});
  return store.claim(path.basename(runDir), launcherPid, windowId);
}

async function start(message: Extract<HostToTrainerMessage, { type: 'start' }>): Promise<void> {
  if (started) {
    send({ type: 'error', message: 'A run is already in progress in this trainer; start ignored.', fatal: false });
    return;
  }
  started = true;
  try {
    if (message.detached) {
      detached = message.detached;
      grace.setGrace(detached.graceMs, server?.clientCount ?? 1);
      writer ??= claimRunFolder(detached.runDir, process.ppid, detached.windowId);
    }
    const prepared = await prepareRun(message.config, message.checkpointDir, message.resume, undefined, message.architecture ?? undefined);
    run = prepared.run;
    writer?.began(run.startStep, prepared.backend.description, run.execution);
    const warning = [prepared.backend.warning, run.resumeWarning, run.executionWarning].filter(Boolean).join(' ');
    startedMessage = { type: 'started', config: run.config, architecture: run.architecture, backend: prepared.backend.description, execution: run.execution, startStep: run.startStep, history: run.history, ...(warning ? { warning } : {}) };
    send(startedMessage);
    const sink: TrainingEventSink = {
      progress: (progress) => send({ type: 'progress', progress }),
      evaluation: (evaluation) => send({ type: 'evaluation', evaluation }),
      activations: (activations) => send({ type: 'activations', activations }),
      checkpointSaved: (checkpoint) => send({ type: 'checkpointSaved', checkpoint }),
      phase: (phase) => { latestPhase = phase; send({ type: 'phase', phase }); },
    };
    const summary = await run.run(control, writer ? recordedSink(sink, writer) : sink);
    runReturned = true;
    writer?.ended(summary.outcome, { summary });
    send({ type: 'finished', summary });
    // A stopped run's process has nothing more to do (nor one asked to stop during its last
    // step); a finished one stays to answer inspect and evaluate requests until released, or
    // until no window is left to ask.
    if (summary.outcome === 'stopped' || control.stopRequested || (server ? server.clientCount === 0 : !process.connected)) exit(0);
  } catch (error) {
    writer?.ended('crashed', { error: errorMessage(error), stepsDone: run?.currentStep ?? 0 });
    send({ type: 'error', message: errorMessage(error), fatal: true });
    exit(1);
  }
}

/** A window attaching mid-run gets what a reload lost: the run's start with its whole history so far (history.jsonl), and the current phase. */
function replay(greet: (message: TrainerToHostMessage) => void): void {
  greet(readyMessage);
  if (!startedMessage || runReturned || !run) return;
  const recorded = detached ? readHistory(detached.runDir) : null;
  greet({ ...startedMessage, startStep: run.currentStep, history: recorded ? { progress: recorded.progress, evaluations: recorded.evaluations } : run.history });
  if (control.paused) greet({ type: 'runState', state: 'paused' });
  if (latestPhase) greet({ type: 'phase', phase: latestPhase });
}

function answer(message: Extract<HostToTrainerMessage, { type: 'evaluate' | 'describeBlock' | 'gallery' }>): void {
  if (message.type === 'gallery' && !run && storedGallery) {
    reply(message.requestId, () => ({ type: 'gallery', requestId: message.requestId, gallery: storedGallery!(message.query) }));
    return;
  }
  if (!run) {
    const why = storedGallery ? 'This trainer shows the run\'s stored evaluations only; it has not loaded the model.' : 'The model is not loaded yet; try again once training has started.';
    send({ type: 'error', message: why, fatal: false, requestId: message.requestId });
    return;
  }
  const loaded = run;
  reply(message.requestId, () => {
    if (message.type === 'gallery') return { type: 'gallery', requestId: message.requestId, gallery: loaded.gallery(message.query) };
    if (message.type === 'describeBlock') return { type: 'blockDetails', requestId: message.requestId, details: loaded.describeBlock(message.blockId) };
    const evaluation = loaded.evaluate(message.split);
    if (writer?.open) writer.evaluation(evaluation);
    return { type: 'evaluation', evaluation, requestId: message.requestId };
  });
}

/** Sends what `make` answers to request `requestId`, or the reason it failed as that request's non-fatal error. */
function reply(requestId: number, make: () => TrainerToHostMessage): void {
  try {
    send(make());
  } catch (error) {
    send({ type: 'error', message: errorMessage(error), fatal: false, requestId });
  }
}

function handle(message: HostToTrainerMessage): void {
  switch (message.type) {
    case 'start':
      // A detached trainer starts on its run folder's orders alone, never on a socket's.
      if (detachedRunDir) send({ type: 'error', message: `This trainer starts on its run's ${START_ORDERS_FILE}; start ignored.`, fatal: false });
      else void start(message);
      break;
    case 'pause':
      control.pause();
      send({ type: 'runState', state: 'paused' });
      break;
    case 'continue':
      control.resume();
      send({ type: 'runState', state: 'running' });
      break;
    case 'stop':
      control.stop();
      // Before training has begun, or after it ended, there is no loop to notice the flag.
      // (During the last step the loop is still running: it finishes, evaluates and saves.)
      if (!started || runReturned) exit(0);
      break;
    case 'evaluate':
    case 'describeBlock':
    case 'gallery':
      answer(message);
      break;
    case 'inspect':
      void inspect(message);
      break;
    case 'requestFeatureMaps':
    case 'predictDigit':
    case 'requestProbeDigits':
      insideRequests.submit(message);
      break;
    default: {
      const unknown: never = message;
      send({ type: 'error', message: `unhandled message ${JSON.stringify(unknown)}`, fatal: false });
    }
  }
}

function exit(code: number): void {
  grace.dispose();
  insideRequests.dispose();
  rejections.close();
  run?.dispose();
  run = null;
  // Let queued messages flush before leaving.
  setImmediate(() => {
    server?.close();
    process.exit(code);
  });
}

// Refusals go back to the host as non-fatal errors, rate-limited: a host (or anything else on
// the channel) sending garbage in a loop gets a few answers and then counts, not a flood.
const rejections = new RejectionLog('the host', (line) => send({ type: 'error', message: line, fatal: false }));

process.on('uncaughtException', (error) => {
  console.error(error);
  writer?.ended('crashed', { error: `trainer crashed: ${errorMessage(error)}` });
  // Exit once the fatal message is on its way (or soon anyway), so the host learns why.
  const leave = () => process.exit(1);
  setTimeout(leave, 1000).unref();
  if (server) {
    server.send({ type: 'error', message: `trainer crashed: ${errorMessage(error)}`, fatal: true });
    setTimeout(leave, 100);
  } else if (process.connected) process.send!({ type: 'error', message: `trainer crashed: ${errorMessage(error)}`, fatal: true }, undefined, {}, leave);
  else leave();
});

/**
 * A detached trainer's run, from its folder alone: it becomes the run's writer (the lock its
 * launching window handed it), then reads its start orders. Null, and the process ends, if either
 * fails: a missing or malformed start.json is the run's crash, said in run.json and trainer.log.
 */
function takeUpRun(runDir: string): DetachedStart | null {
  let orders: DetachedStart | null = null;
  let problem: string | null = null;
  try {
    orders = readStartOrders(runDir);
  } catch (error) {
    problem = errorMessage(error);
  }
  try {
    writer = claimRunFolder(runDir, Number(process.env[TRAINER_LAUNCHER_PID_ENV]), orders?.detached.windowId);
  } catch (error) {
    // Not this trainer's run (any more): its folder is someone else's to write.
    console.error(`the trainer cannot take up run ${runDir}: ${errorMessage(error)}`);
    exit(1);
    return null;
  }
  if (orders) return orders;
  const error = `The trainer could not start: ${problem}.`;
  console.error(error);
  writer.ended('crashed', { error });
  exit(1);
  return null;
}

if (detachedRunDir) {
  // Detached: SIGHUP (its terminal or session going away) must not end a run that is meant to outlive them.
  process.on('SIGHUP', () => {});
  const orders = takeUpRun(detachedRunDir);
  const socketAddress = trainerSocketAddress(detachedRunDir);
  if (orders) TrainerSocketServer.listen(socketAddress, {
    message: handle,
    connected: replay,
    clientsChanged: (count) => grace.clientsChanged(count),
    log: (line) => console.error(line),
  }).then((listening) => {
    server = listening;
    grace.clientsChanged(listening.clientCount);
    // Reachable now: windows that connect from here on hear the run start (or its replay).
    void start(orders);
  }, (error: unknown) => {
    const message = `the trainer cannot listen at ${socketAddress}: ${errorMessage(error)}`;
    console.error(message);
    writer?.ended('crashed', { error: message });
    process.exit(1);
  });
} else if (process.send) {
  process.on('message', (raw: unknown) => {
    const parsed = parseHostToTrainer(raw);
    if (!parsed.ok) {
      rejections.reject(parsed.error);
      return;
    }
    handle(parsed.message);
  });
  // The host went away (window closed, extension host crashed): stop at the end of this step,
  // which writes a checkpoint, then exit. Nothing is left running.
  process.on('disconnect', () => {
    control.stop();
    if (!started || runReturned) exit(0);
  });
  send(readyMessage);
} else {
  console.error('trainer.js is the trainer process of the ResNet Lab extension; for a terminal run use `npm run train`.');
  process.exit(2);
}
