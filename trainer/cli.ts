// `npm run train`: the training engine from a terminal, with a progress bar or JSON lines.
// Ctrl-C stops at the end of the current step and writes a checkpoint; a second Ctrl-C quits.
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { seedResNetArchitecture, type ArchitectureSpec } from '../shared/architecture';
import { architectureFileText } from '../shared/architectureFile';
import { readArchitectureFile } from './readArchitectureFile';
import { diagnoseActivations, diagnoseEvaluation } from '../shared/activationDiagnosis';
import { cacheRoot, gpuBuildLayout, hasGpuTrainerEnv, trainerEnvFor } from '../shared/gpuTensorflowBuild';
import { parseCliArgs, USAGE, UsageError } from './cli/parseCliArgs';
import { TerminalReporter } from './cli/terminalReporter';
import { errorMessage } from '../shared/errorMessage';
import { prepareRun } from './prepareRun';
import { PausableRunControl } from './runControl';
import { describeExecution } from './train/stepEngine';
import type { TrainingEventSink } from './train/trainingRun';

/** "keep 0.5", from the network's dropout layers (the file's, or the seed's built from --keep-prob). */
function describeDropout(arch: ArchitectureSpec): string {
  const keeps = [...new Set(arch.blocks.flatMap((b) => b.layers).flatMap((l) => (l.op === 'dropout' ? [l.keepProb] : [])))];
  return keeps.length > 0 ? `keep ${keeps.join('/')}` : 'no dropout';
}

function emitJson(event: string, payload: object): void {
  process.stdout.write(`${JSON.stringify({ event, ...payload })}\n`);
}

/**
 * Runs this CLI again, same arguments, in a child process with `extraEnv`: the GPU build's
 * library path must be in place when a process starts. Ctrl-C reaches both (same terminal
 * process group); the child stops with a checkpoint and this one passes on its exit code.
 */
function rerunWith(extraEnv: Record<string, string>): Promise<number> {
  process.on('SIGINT', () => { /* the child handles it */ });
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  return new Promise((resolve) => {
    child.on('error', (error) => {
      console.error(`error: could not start the trainer for the GPU build (${error.message})`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 1)));
  });
}

async function main(): Promise<number> {
  let options;
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const { config, checkpointDir, resume, json } = options;
  if (options.printArchitecture) {
    process.stdout.write(architectureFileText(seedResNetArchitecture(config.keepProb)));
    return 0;
  }
  let architecture: ArchitectureSpec | undefined;
  if (options.architectureFile) {
    const read = readArchitectureFile(options.architectureFile);
    if (!read.ok) {
      console.error(read.problems);
      return 2;
    }
    architecture = read.spec;
  }
  if (config.backend === 'tensorflow-gpu' && !hasGpuTrainerEnv(gpuBuildLayout(cacheRoot(process.env, os.homedir())), process.env)) {
    // dist/cli.js → the project's node_modules, where the GPU build's tfjs-node copy finds tfjs.
    return rerunWith(trainerEnvFor(config.backend, process.env, os.homedir(), path.join(__dirname, '..', 'node_modules')));
  }
  const wallStart = performance.now();
  const control = new PausableRunControl();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    if (!json) console.error('\nStopping after this step and saving a checkpoint (Ctrl-C again to quit now)…');
    control.stop();
  });

  const prepared = await prepareRun(config, checkpointDir, resume, options.execution, architecture);
  const { run } = prepared;
  const arch = run.architecture.spec;
  const figures = run.architecture.figures;
  const info = {
    backend: prepared.backend.description, execution: run.execution, data: prepared.dataSource, config: run.config, startStep: run.startStep,
    parameters: figures.totalParams, multiplyAddsPerImage: figures.totalMacs, checkpointDir,
  };
  let sink: TrainingEventSink;
  let terminal: TerminalReporter | null = null;
  if (json) {
    emitJson('started', { ...info, ...(prepared.backend.warning ? { warning: prepared.backend.warning } : {}), ...(run.resumeWarning ? { resumeWarning: run.resumeWarning } : {}),
      ...(run.executionWarning ? { executionWarning: run.executionWarning } : {}) });
    sink = {
      progress: (progress) => emitJson('progress', progress),
      evaluation: (evaluation) => emitJson('evaluation', { ...evaluation, findings: diagnoseEvaluation(arch, evaluation) }),
      activations: (activations) => emitJson('activations', { ...activations, findings: diagnoseActivations(arch, activations) }),
      checkpointSaved: (checkpoint) => emitJson('checkpoint', checkpoint),
    };
  } else {
    const c = run.config;
    console.log(`ResNet Lab · ${arch.name} · ${figures.totalParams.toLocaleString('en-US')} parameters, ${(figures.totalMacs / 1e6).toFixed(2)} M multiply-adds per image`);
    console.log(`backend ${prepared.backend.description} (${describeExecution(run.execution)}) · data ${prepared.dataSource}`);
    console.log(`preset ${c.preset}: init ${c.init}, ${c.steps} steps × batch ${c.batchSize}, Adam ${c.learningRate}, ${describeDropout(arch)}, seed ${c.seed}`);
    if (prepared.backend.warning) console.log(`⚠ ${prepared.backend.warning}`);
    if (run.startStep > 0) console.log(`resumed from step ${run.startStep} (${checkpointDir})`);
    if (run.resumeWarning) console.log(`⚠ ${run.resumeWarning}`);
    if (run.executionWarning) console.log(`⚠ ${run.executionWarning}`);
    if (c.preset === 'seed') console.log('note: the seed preset reproduces the tutorial exactly, and on this network its initialisation collapses to chance; watch the logits below.');
    terminal = new TerminalReporter(arch, process.stdout.isTTY === true);
    const t = terminal;
    sink = {
      progress: (p) => t.progress(p),
      evaluation: (e) => t.evaluation(e),
      activations: (a) => t.activations(a),
      checkpointSaved: (ck) => t.checkpointSaved(ck),
    };
  }
  const summary = await run.run(control, sink);
  const wallSec = (performance.now() - wallStart) / 1000;
  if (json) {
    emitJson('summary', {
      outcome: summary.outcome, steps: summary.stepsDone, totalSteps: summary.config.steps,
      validationAccuracy: summary.finalValidation?.accuracy ?? null, testAccuracy: summary.test?.accuracy ?? null,
      imagesPerSec: summary.imagesPerSec, backend: summary.backend, wallSec, trainSec: summary.trainSec, peakRssMb: summary.peakRssMb,
      firstStepEndedAt: summary.firstStepEndedAt ?? null, config: summary.config,
    });
  } else {
    terminal!.summary({ ...summary, wallSec }, checkpointDir);
  }
  run.dispose();
  return 0;
}

main().then((code) => process.exit(code), (error: unknown) => {
  // Expected failures (bad data, missing backend, unusable checkpoint) carry clear messages.
  console.error(`error: ${errorMessage(error)}`);
  process.exit(1);
});
