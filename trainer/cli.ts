// `npm run train`: the training engine from a terminal, with a progress bar or JSON lines.
// Ctrl-C stops at the end of the current step and writes a checkpoint; a second Ctrl-C quits.
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunStore } from '../runStore/runStore';
import type { RunWriter } from '../runStore/runWriter';
import { diagnoseActivations, diagnoseEvaluation } from '../shared/activationDiagnosis';
import { seedResNetArchitecture, type ArchitectureSpec } from '../shared/architecture';
import { architectureFileText } from '../shared/architectureFile';
import { readArchitectureFile } from './readArchitectureFile';
import { cacheRoot, gpuBuildLayout, hasGpuTrainerEnv, trainerEnvFor } from '../shared/gpuTensorflowBuild';
import { EXIT_USAGE, runCommandLine } from './cli/commandLine';
import { parseCliArgs, USAGE } from './cli/parseCliArgs';
import { TerminalReporter } from './cli/terminalReporter';
import { errorMessage } from '../shared/errorMessage';
import { prepareRun } from './prepareRun';
import { PausableRunControl } from './runControl';
import { describeExecution } from './train/stepEngine';
import type { TrainingEventSink } from './train/runEvents';
import type { TrainingConfig } from '../shared/trainingConfig';
import type { CliOptions } from './cli/parseCliArgs';
import { recordedSink } from './recordedSink';

/**
 * The run folder this CLI run writes (a new run, or the one --resume continues), or none for
 * a bare --checkpoint-dir. Skipped entries of the runs folder are reported on stderr.
 */
function openRunFolder(options: CliOptions, architecture: ArchitectureSpec | undefined): { writer: RunWriter | null; config: TrainingConfig; checkpointDir: string } {
  const { storage } = options;
  if (storage.kind === 'checkpoints') return { writer: null, config: options.config, checkpointDir: storage.checkpointDir };
  const store = new RunStore(storage.runsDir, ({ entry, problem }) => console.error(`warning: ${path.join(storage.runsDir, entry)} skipped: ${problem}`));
  if (!options.resume) {
    const writer = store.create(options.config, architecture ?? seedResNetArchitecture(options.config.keepProb), 'cli');
    return { writer, config: options.config, checkpointDir: writer.checkpointDir };
  }
  let runId = storage.runId;
  if (runId === undefined) {
    const resumable = store.list().find((run) => (run.status === 'stopped' || run.status === 'crashed') && run.hasCheckpoint && !run.lockedElsewhere);
    if (!resumable) throw new Error(`There is no stopped or crashed run with a checkpoint in ${storage.runsDir} to resume.`);
    runId = resumable.id;
  }
  const writer = store.resume(runId, 'cli');
  return { writer, config: writer.current.config, checkpointDir: writer.checkpointDir };
}

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

async function train(options: CliOptions): Promise<number> {
  const { resume, json } = options;
  if (options.printArchitecture) {
    process.stdout.write(architectureFileText(seedResNetArchitecture(options.config.keepProb)));
    return 0;
  }
  let architecture: ArchitectureSpec | undefined;
  if (options.architectureFile) {
    const read = readArchitectureFile(options.architectureFile);
    if (!read.ok) {
      console.error(read.problems);
      return EXIT_USAGE;
    }
    architecture = read.spec;
  }
  if (options.config.backend === 'tensorflow-gpu' && !hasGpuTrainerEnv(gpuBuildLayout(cacheRoot(process.env, os.homedir())), process.env)) {
    // dist/cli.js → the project's node_modules, where the GPU build's tfjs-node copy finds tfjs.
    return rerunWith(trainerEnvFor(options.config.backend, process.env, os.homedir(), path.join(__dirname, '..', 'node_modules')));
  }
  const wallStart = performance.now();
  const { writer, config, checkpointDir } = openRunFolder(options, architecture);
  const control = new PausableRunControl();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    if (!json) console.error('\nStopping after this step and saving a checkpoint (Ctrl-C again to quit now)…');
    control.stop();
  });
  if (writer) {
    // A crash anywhere below leaves run.json saying why (a kill leaves a stale lock, read as crashed).
    process.on('exit', (code) => { if (code !== 0) writer.ended('crashed', { error: `the CLI exited with code ${code}` }); });
  }

  let prepared;
  try {
    prepared = await prepareRun(config, checkpointDir, resume, options.execution, architecture);
  } catch (error) {
    writer?.ended('crashed', { error: errorMessage(error) });
    throw error;
  }
  const { run } = prepared;
  writer?.began(run.startStep, prepared.backend.description, run.execution);
  const arch = run.architecture.spec;
  const figures = run.architecture.figures;
  const info = {
    backend: prepared.backend.description, execution: run.execution, data: prepared.dataSource, config: run.config, startStep: run.startStep,
    parameters: figures.totalParams, multiplyAddsPerImage: figures.totalMacs, checkpointDir, ...(writer ? { runId: writer.id, runDir: writer.dir } : {}),
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
    if (writer) console.log(`run ${writer.id} (${writer.dir})`);
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
  if (writer) sink = recordedSink(sink, writer);
  const summary = await run.run(control, sink);
  writer?.ended(summary.outcome, { summary });
  const wallSec = (performance.now() - wallStart) / 1000;
  if (json) {
    emitJson('summary', {
      outcome: summary.outcome, steps: summary.stepsDone, totalSteps: summary.config.steps,
      validationAccuracy: summary.finalValidation?.accuracy ?? null, testAccuracy: summary.test?.accuracy ?? null,
      imagesPerSec: summary.imagesPerSec, backend: summary.backend, wallSec, trainSec: summary.trainSec, peakRssMb: summary.peakRssMb,
      firstStepEndedAt: summary.firstStepEndedAt ?? null, config: summary.config,
    });
  } else {
    terminal!.summary({ ...summary, wallSec }, writer ? `--runs-dir ${path.dirname(writer.dir)} --run ${writer.id}` : `--checkpoint-dir ${checkpointDir}`);
  }
  run.dispose();
  return 0;
}

runCommandLine({
  usage: USAGE,
  parse: (argv) => {
    const options = parseCliArgs(argv);
    return options.help ? 'help' : options;
  },
  run: train,
  exitAtOnce: true,
});
