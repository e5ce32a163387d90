// Command-line flags → a validated TrainingConfig, and a UsageError in words for every bad flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../trainer/cli/commandLine';
import { parseCliArgs, USAGE } from '../../trainer/cli/parseCliArgs';
import { PRESETS } from '../../shared/trainingConfig';

function assertUsageError(argv: string[], ...fragments: string[]): void {
  assert.throws(() => parseCliArgs(argv), (err: unknown) => {
    assert.ok(err instanceof UsageError, `expected UsageError for ${JSON.stringify(argv)}, got ${String(err)}`);
    assert.equal(err.name, 'UsageError');
    for (const fragment of fragments) assert.ok(err.message.includes(fragment), `"${err.message}" lacks "${fragment}"`);
    return true;
  });
}

test('no flags: the default preset, a new run in the runs folder, no resume, no JSON, no help', () => {
  assert.deepEqual(parseCliArgs([]), {
    config: { ...PRESETS.default },
    storage: { kind: 'runs', runsDir: 'runs' },
    resume: false,
    json: false,
    help: false,
    printArchitecture: false,
  });
});

test('--architecture FILE and --print-architecture are taken as given; an empty file name or --keep-prob beside a file is refused', () => {
  assert.equal(parseCliArgs(['--architecture', 'nets/wide.resnet.json']).architectureFile, 'nets/wide.resnet.json');
  assert.equal(parseCliArgs(['--print-architecture']).printArchitecture, true);
  assertUsageError(['--architecture', ' '], '--architecture needs a file name');
  assertUsageError(['--architecture', 'a.resnet.json', '--keep-prob', '0.7'], '--keep-prob sets the seed network\'s dropout; with --architecture, set keepProb in the file\'s dropout layers');
  assertUsageError(['--architecture'], "Option '--architecture <value>' argument missing");
});

test('--preset seed alone gives the seed preset, in the same runs folder', () => {
  const options = parseCliArgs(['--preset', 'seed']);
  assert.deepEqual(options.config, { ...PRESETS.seed });
  assert.deepEqual(options.storage, { kind: 'runs', runsDir: 'runs' });
});

test('--runs-dir picks the run store, --resume --run ID the run it continues', () => {
  assert.deepEqual(parseCliArgs(['--runs-dir', '/r']).storage, { kind: 'runs', runsDir: '/r' });
  const resumed = parseCliArgs(['--runs-dir', '/r', '--resume', '--run', '20261202-054500-ab12']);
  assert.deepEqual(resumed.storage, { kind: 'runs', runsDir: '/r', runId: '20261202-054500-ab12' });
  assert.equal(resumed.resume, true);
});

test('run-store flags that contradict each other or name no run are usage errors', () => {
  assertUsageError(['--runs-dir', '/r', '--checkpoint-dir', '/c'], 'give one or the other');
  assertUsageError(['--run', 'abc'], 'add --resume');
  assertUsageError(['--checkpoint-dir', '/c', '--resume', '--run', 'abc'], 'not of --checkpoint-dir');
  assertUsageError(['--resume', '--run', '../etc'], 'needs a run id');
  assertUsageError(['--runs-dir', ''], '--runs-dir needs a folder');
});

test('every flag maps to its field', () => {
  const options = parseCliArgs([
    '--preset', 'seed', '--steps', '300', '--batch-size', '32', '--learning-rate', '0.0005', '--eval-every', '50',
    '--seed', '7', '--data-dir', '/x', '--checkpoint-dir', '/c', '--resume', '--backend', 'cpu', '--eager', '--json',
  ]);
  assert.deepEqual(options, {
    config: {
      ...PRESETS.seed, steps: 300, batchSize: 32, learningRate: 0.0005, evalEvery: 50, seed: 7, dataDir: '/x', backend: 'cpu',
    },
    storage: { kind: 'checkpoints', checkpointDir: '/c' },
    resume: true,
    execution: 'eager',
    json: true,
    help: false,
    printArchitecture: false,
  });
  assert.equal(options.config.preset, 'seed');
  assert.equal(options.config.init, 'seed');
  assert.equal(options.config.keepProb, 0.5);
  assert.equal(options.config.logEvery, 100);
  assert.equal(parseCliArgs([]).execution, undefined, 'without --eager the trainer picks');
});

test('--keep-prob, --log-every and --checkpoint-every map to their fields', () => {
  const { config } = parseCliArgs(['--keep-prob', '0.8', '--log-every', '10', '--checkpoint-every', '0']);
  assert.equal(config.keepProb, 0.8);
  assert.equal(config.logEvery, 10);
  assert.equal(config.checkpointEvery, 0);
  assert.equal(config.preset, 'default');
});

test('the learning-rate levers map to their fields and leave the rest of the preset alone', () => {
  const { config } = parseCliArgs(['--lr-schedule', 'cosine', '--warmup-steps', '100', '--lr-floor', '0.05', '--dense-lr-scale', '0.1', '--adam-epsilon', '1e-6', '--dense-init-scale', '0.3', '--label-smoothing', '0']);
  assert.deepEqual(config, { ...PRESETS.default, lrSchedule: 'cosine', warmupSteps: 100, lrFloor: 0.05, denseLrScale: 0.1, adamEpsilon: 1e-6, denseInitScale: 0.3, labelSmoothing: 0 });
});

test('bad learning-rate levers are usage errors naming each field, all at once', () => {
  assertUsageError(['--lr-schedule', 'linear'], 'lrSchedule must be one of constant, cosine (got "linear")');
  assertUsageError(['--warmup-steps=-1', '--lr-floor', '2', '--dense-lr-scale', '0', '--adam-epsilon', '0'],
    'warmupSteps must be at least 0', 'lrFloor must be at least 0 and at most 1 (got 2)', 'denseLrScale must be greater than 0', 'adamEpsilon must be greater than 0');
  assertUsageError(['--warmup-steps', '10.5'], 'warmupSteps must be a whole number (got 10.5)');
  assertUsageError(['--label-smoothing', '1'], 'labelSmoothing must be at least 0 and less than 1 (got 1)');
  assertUsageError(['--dense-lr-scale', 'tenth'], '--dense-lr-scale needs a number (got "tenth")');
  assertUsageError(['--dense-init-scale', '0'], 'denseInitScale must be greater than 0 and at most 10 (got 0)');
});

test('--init he on the seed preset changes only the initialisation', () => {
  const { config } = parseCliArgs(['--preset', 'seed', '--init', 'he']);
  assert.deepEqual(config, { ...PRESETS.seed, init: 'he' });
});

test('--flag=value works as well as --flag value', () => {
  const { config } = parseCliArgs(['--steps=300', '--learning-rate=1e-4']);
  assert.equal(config.steps, 300);
  assert.equal(config.learningRate, 0.0001);
});

test('complete numeric literals are accepted: exponents and leading dots', () => {
  assert.equal(parseCliArgs(['--steps', '1e3']).config.steps, 1000);
  assert.equal(parseCliArgs(['--keep-prob', '.5']).config.keepProb, 0.5);
  assert.equal(parseCliArgs(['--learning-rate', '2E-3']).config.learningRate, 0.002);
});

test('an unknown flag is a usage error naming it', () => {
  assertUsageError(['--stepz', '3'], "Unknown option '--stepz'");
});

test('--steps abc is a usage error', () => {
  assertUsageError(['--steps', 'abc'], '--steps needs a number (got "abc")');
});

test('--steps with an empty value is a usage error, not 0 steps', () => {
  assertUsageError(['--steps', ''], '--steps needs a number (got "")');
});

test('--steps 1e3x is a usage error, not NaN', () => {
  assertUsageError(['--steps', '1e3x'], '--steps needs a number (got "1e3x")');
});

test('hex and Infinity are not numbers here', () => {
  assertUsageError(['--steps', '0x10'], '--steps needs a number (got "0x10")');
  assertUsageError(['--learning-rate', 'Infinity'], '--learning-rate needs a number (got "Infinity")');
});

test('--batch-size 0 is a usage error naming batchSize', () => {
  assertUsageError(['--batch-size', '0'], 'batchSize must be at least 1 and at most 4096 (got 0)');
});

test('--steps 1.5 is a usage error: steps must be whole', () => {
  assertUsageError(['--steps', '1.5'], 'steps must be a whole number (got 1.5)');
});

test('--backend tpu is a usage error listing the backends', () => {
  assertUsageError(['--backend', 'tpu'], 'backend must be one of tensorflow, tensorflow-gpu, cpu (got "tpu")');
});

test('--init xavier is a usage error listing the schemes', () => {
  assertUsageError(['--init', 'xavier'], 'init must be one of seed, he (got "xavier")');
});

test('--preset fast is a usage error listing the presets', () => {
  assertUsageError(['--preset', 'fast'], 'preset must be one of default, seed (got "fast")');
});

test('a positional argument is a usage error', () => {
  assertUsageError(['foo'], "Unexpected argument 'foo'");
});

test('--steps with no value is a usage error', () => {
  assertUsageError(['--steps'], "Option '--steps <value>' argument missing");
});

test('a boolean flag given a value is a usage error', () => {
  assertUsageError(['--resume=yes'], "Option '--resume' does not take an argument");
});

test('several bad values are all reported, one per line', () => {
  assertUsageError(['--steps', '0', '--keep-prob', '2'], 'steps must be at least 1 and at most 10000000 (got 0)\nkeepProb must be greater than 0 and at most 1 (got 2)');
});

test('--help and -h set help', () => {
  assert.equal(parseCliArgs(['--help']).help, true);
  assert.equal(parseCliArgs(['-h']).help, true);
  assert.deepEqual(parseCliArgs(['--help']).config, { ...PRESETS.default });
});

test('the usage text documents every flag the parser accepts', () => {
  const flags = ['--preset', '--steps', '--batch-size', '--learning-rate', '--lr-schedule', '--warmup-steps', '--lr-floor',
    '--dense-lr-scale', '--adam-epsilon', '--init', '--dense-init-scale', '--keep-prob', '--label-smoothing', '--log-every', '--eval-every',
    '--checkpoint-every', '--seed', '--data-dir', '--runs-dir', '--checkpoint-dir', '--resume', '--run', '--architecture', '--print-architecture', '--backend', '--eager', '--json', '--help'];
  for (const flag of flags) assert.ok(USAGE.includes(`  ${flag}`), `USAGE lacks ${flag}`);
  const documented = [...USAGE.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]);
  assert.deepEqual(documented, flags);
});

test('no TensorFlow module was loaded by the argument parser', () => {
  assert.deepEqual(Object.keys(require.cache).filter((k) => k.includes('@tensorflow')), []);
});
