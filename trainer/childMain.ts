// The trainer as a forked child of the VS Code extension host. It speaks only the typed
// protocol in shared/trainerProtocol.ts over Node IPC and never imports vscode.
import { parseHostToTrainer, TRAINER_PROTOCOL_VERSION, type HostToTrainerMessage, type TrainerToHostMessage } from '../shared/trainerProtocol';
import { errorMessage } from '../shared/errorMessage';
import { InsideRequests } from './inspection/insideRequests';
import { RejectionLog } from '../shared/rejectionLog';
import { prepareRun } from './prepareRun';
import { PausableRunControl } from './runControl';
import type { TrainingRun } from './train/trainingRun';

function send(message: TrainerToHostMessage): void {
  // A parent that has gone away cannot be told anything; the disconnect handler ends us. The
  // callback keeps a send racing the disconnect from becoming an uncaught 'error' event.
  if (process.connected) process.send!(message, undefined, {}, () => {});
}

const control = new PausableRunControl();
let run: TrainingRun | null = null;
let started = false;
/** run.run() has returned: no loop is left to notice a stop, so stopping means exiting. */
let runReturned = false;
const insideRequests = new InsideRequests(send, () => run?.insideView ?? null);

/** Loads a stopped or finished run's checkpoint only to answer inside-view requests; never trains. */
async function inspect(message: Extract<HostToTrainerMessage, { type: 'inspect' }>): Promise<void> {
  if (started) {
    send({ type: 'error', message: 'This trainer already holds a run; inspect ignored.', fatal: false });
    return;
  }
  started = true;
  try {
    run = (await prepareRun(message.config, message.checkpointDir, true)).run;
    runReturned = true;
    if (control.stopRequested) exit(0);
    else send({ type: 'inspecting', step: run.currentStep });
  } catch (error) {
    send({ type: 'error', message: errorMessage(error), fatal: true });
    exit(1);
  }
}

async function start(message: Extract<HostToTrainerMessage, { type: 'start' }>): Promise<void> {
  if (started) {
    send({ type: 'error', message: 'A run is already in progress in this trainer; start ignored.', fatal: false });
    return;
  }
  started = true;
  try {
    const prepared = await prepareRun(message.config, message.checkpointDir, message.resume, undefined, message.architecture ?? undefined);
    run = prepared.run;
    const warning = [prepared.backend.warning, run.resumeWarning, run.executionWarning].filter(Boolean).join(' ');
    send({ type: 'started', config: run.config, architecture: run.architecture, backend: prepared.backend.description, startStep: run.startStep, history: run.history, ...(warning ? { warning } : {}) });
    const summary = await run.run(control, {
      progress: (progress) => send({ type: 'progress', progress }),
      evaluation: (evaluation) => send({ type: 'evaluation', evaluation }),
      activations: (activations) => send({ type: 'activations', activations }),
      checkpointSaved: (checkpoint) => send({ type: 'checkpointSaved', checkpoint }),
      phase: (phase) => send({ type: 'phase', phase }),
    });
    runReturned = true;
    send({ type: 'finished', summary });
    // A stopped run's process has nothing more to do (nor one asked to stop during its last
    // step); a finished one stays to answer inspect and evaluate requests until released.
    if (summary.outcome === 'stopped' || control.stopRequested || !process.connected) exit(0);
  } catch (error) {
    send({ type: 'error', message: errorMessage(error), fatal: true });
    exit(1);
  }
}

function answer(message: Extract<HostToTrainerMessage, { type: 'evaluate' | 'describeBlock' | 'gallery' }>): void {
  if (!run) {
    send({ type: 'error', message: 'The model is not loaded yet; try again once training has started.', fatal: false, requestId: message.requestId });
    return;
  }
  try {
    if (message.type === 'evaluate') send({ type: 'evaluation', evaluation: run.evaluate(message.split), requestId: message.requestId });
    else if (message.type === 'gallery') send({ type: 'gallery', requestId: message.requestId, gallery: run.gallery(message.query) });
    else send({ type: 'blockDetails', requestId: message.requestId, details: run.describeBlock(message.blockId) });
  } catch (error) {
    send({ type: 'error', message: errorMessage(error), fatal: false, requestId: message.requestId });
  }
}

function handle(message: HostToTrainerMessage): void {
  switch (message.type) {
    case 'start':
      void start(message);
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
  insideRequests.dispose();
  rejections.close();
  run?.dispose();
  run = null;
  // Let queued IPC messages flush before leaving.
  setImmediate(() => process.exit(code));
}

if (!process.send) {
  console.error('trainer.js is the child-process entry of the ResNet Lab extension; for a terminal run use `npm run train`.');
  process.exit(2);
}

// Refusals go back to the host as non-fatal errors, rate-limited: a host (or anything else on
// the channel) sending garbage in a loop gets a few answers and then counts, not a flood.
const rejections = new RejectionLog('the host', (line) => send({ type: 'error', message: line, fatal: false }));

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

process.on('uncaughtException', (error) => {
  console.error(error);
  // Exit once the fatal message is on its way (or soon anyway), so the host learns why.
  const leave = () => process.exit(1);
  setTimeout(leave, 1000).unref();
  if (process.connected) process.send!({ type: 'error', message: `trainer crashed: ${errorMessage(error)}`, fatal: true }, undefined, {}, leave);
  else leave();
});

send({ type: 'ready', protocolVersion: TRAINER_PROTOCOL_VERSION });
