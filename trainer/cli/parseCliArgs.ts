// Command-line flags → a validated TrainingConfig. Pure, so every bad flag has a unit test.
import { parseFlags, UsageError } from './commandLine';
import { NUMBER_FLAGS } from '../../shared/cliFlags';
import { RUN_ID_PATTERN } from '../../shared/runManifest';
import { ConfigError, resolveConfig, type ConfigOverrides, type PresetName, type TrainingConfig } from '../../shared/trainingConfig';

export const USAGE = `Usage: npm run train -- [options]

Trains the seed's bottleneck ResNet on MNIST with TensorFlow.js's native backend.

  --preset default|seed     default: the recipe that trains (README): one epoch at batch 32 (1719 steps),
                            He init with fc1/fc2 at 0.1 σ, Adam 2e-3 with 100 warm-up steps and cosine
                            decay, fc1/fc2 at a tenth of the rate, no dropout, label smoothing 0.1
                            seed: the tutorial's own settings (σ 0.1 init, batch 10, 2000 steps);
                            this network collapses to chance with them, by design of the preset
  --steps N                 training steps
  --batch-size B            images per step
  --learning-rate R         Adam's peak learning rate (of the convolutions)
  --lr-schedule constant|cosine
                            after warm-up: constant, or cosine decay to --lr-floor × the peak at the last step
  --warmup-steps N          linear warm-up of the learning rate over the first N steps (0 = none)
  --lr-floor F              where the cosine ends, as a fraction of the peak (0–1)
  --dense-lr-scale S        fc1's and fc2's learning rate as a multiple of the convolutions'
  --adam-epsilon E          Adam's ε
  --init seed|he            override the preset's initialisation
  --dense-init-scale S      fc1's and fc2's initial weights drawn with S × the scheme's σ
  --keep-prob P             dropout keep probability while training
  --label-smoothing E       training targets (1 − E) × one-hot + E/10 (0 = one-hot)
  --log-every K             progress after the first step and every K steps
  --eval-every K            validation on the held-out 5,000 every K steps (0 = at the end only)
  --checkpoint-every K      checkpoint every K steps (0 = only when stopping or finishing)
  --seed S                  seed for initialisation, data order and dropout
  --data-dir D              folder with the four MNIST IDX files (plain or .gz); default: embedded copy
  --runs-dir D              the run store: each run gets its own folder there (run.json,
                            history.jsonl, checkpoints/); default: runs
  --checkpoint-dir C        instead of the run store, only checkpoints, in folder C
  --resume                  continue a run: the newest stopped or crashed one in the runs
                            folder (or --run ID), or the checkpoint in --checkpoint-dir; its own
                            network, or with --architecture only if the file describes that one
  --run ID                  the run --resume continues
  --architecture FILE       train the network in FILE (a *.resnet.json architecture file) instead
                            of the seed's; each problem in it is printed as FILE:LINE:COL: message
                            and the exit status is 2
  --print-architecture      print the seed network as an architecture file and exit
  --backend tensorflow|tensorflow-gpu|cpu
  --eager                   run each step as separate tfjs ops instead of one TensorFlow graph:
                            same maths, slower; for comparison and debugging
  --json                    one JSON object per event on stdout, ending with a summary
  --help                    this text`;

export interface CliOptions {
  config: TrainingConfig;
  /** Where the run is kept: a run folder in a run store, or a bare checkpoint folder. */
  storage: { kind: 'runs'; runsDir: string; runId?: string } | { kind: 'checkpoints'; checkpointDir: string };
  resume: boolean;
  /** 'eager' when --eager was given; otherwise the trainer picks (graph on the native backend). */
  execution?: 'eager';
  json: boolean;
  help: boolean;
  /** --architecture: the architecture file to train. */
  architectureFile?: string;
  /** --print-architecture: write the seed network's file to stdout instead of training. */
  printArchitecture: boolean;
}

/** The run store's folder when neither --runs-dir nor --checkpoint-dir is given. */
export const DEFAULT_RUNS_DIR = 'runs';

function parseNumber(flag: string, text: string): number {
  // Number('') is 0 and Number('1e-3x') is NaN: accept only a complete numeric literal.
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text.trim())) throw new UsageError(`--${flag} needs a number (got "${text}")`);
  return Number(text);
}

export function parseCliArgs(argv: string[]): CliOptions {
  const parsed = parseFlags({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      'preset': { type: 'string' }, 'init': { type: 'string' }, 'lr-schedule': { type: 'string' }, 'backend': { type: 'string' },
      'data-dir': { type: 'string' }, 'checkpoint-dir': { type: 'string' }, 'runs-dir': { type: 'string' }, 'run': { type: 'string' },
      'architecture': { type: 'string' }, 'print-architecture': { type: 'boolean' },
      'resume': { type: 'boolean' }, 'eager': { type: 'boolean' }, 'json': { type: 'boolean' }, 'help': { type: 'boolean', short: 'h' },
      ...Object.fromEntries(Object.keys(NUMBER_FLAGS).map((flag) => [flag, { type: 'string' as const }])),
    },
  });
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const preset = (values.preset ?? 'default') as PresetName;
  const overrides: ConfigOverrides = {};
  for (const [flag, field] of Object.entries(NUMBER_FLAGS)) {
    const text = values[flag];
    if (typeof text === 'string') overrides[field] = parseNumber(flag, text);
  }
  if (typeof values.init === 'string') overrides.init = values.init as ConfigOverrides['init'];
  if (typeof values['lr-schedule'] === 'string') overrides.lrSchedule = values['lr-schedule'] as ConfigOverrides['lrSchedule'];
  if (typeof values.backend === 'string') overrides.backend = values.backend as ConfigOverrides['backend'];
  if (typeof values['data-dir'] === 'string') overrides.dataDir = values['data-dir'];
  let config: TrainingConfig;
  try {
    config = resolveConfig(preset, overrides);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.problems.join('\n'));
    throw error;
  }
  const architectureFile = values.architecture;
  if (typeof architectureFile === 'string') {
    if (architectureFile.trim() === '') throw new UsageError('--architecture needs a file name');
    // One network, one place for its keep probability: the file's dropout layers.
    if (typeof values['keep-prob'] === 'string') throw new UsageError('--keep-prob sets the seed network\'s dropout; with --architecture, set keepProb in the file\'s dropout layers');
  }
  const checkpointDir = values['checkpoint-dir'];
  const runsDir = values['runs-dir'];
  const runId = values.run;
  if (typeof checkpointDir === 'string' && typeof runsDir === 'string') throw new UsageError('--checkpoint-dir and --runs-dir: give one or the other');
  if (typeof runId === 'string' && values.resume !== true) throw new UsageError('--run ID names the run --resume continues: add --resume');
  if (typeof runId === 'string' && typeof checkpointDir === 'string') throw new UsageError('--run ID picks a run of the run store, not of --checkpoint-dir');
  if (typeof runId === 'string' && !RUN_ID_PATTERN.test(runId)) throw new UsageError(`--run needs a run id, a folder name in the runs folder (got "${runId}")`);
  if (checkpointDir === '' || runsDir === '') throw new UsageError(`--${checkpointDir === '' ? 'checkpoint-dir' : 'runs-dir'} needs a folder`);
  const storage: CliOptions['storage'] = typeof checkpointDir === 'string'
    ? { kind: 'checkpoints', checkpointDir }
    : { kind: 'runs', runsDir: typeof runsDir === 'string' ? runsDir : DEFAULT_RUNS_DIR, ...(typeof runId === 'string' ? { runId } : {}) };
  return {
    config, storage, resume: values.resume === true, json: values.json === true, help: values.help === true,
    printArchitecture: values['print-architecture'] === true,
    ...(typeof architectureFile === 'string' ? { architectureFile } : {}),
    ...(values.eager === true ? { execution: 'eager' as const } : {}),
  };
}
