// fast-check generators for the two message edges, written from the TypeScript interfaces and
// not from the guards, so they can judge the guards: valid messages of every type, the same
// messages with exactly one thing broken, and garbage that names no message type at all.
import fc from 'fast-check';
import { ACTIVATIONS } from '../../shared/architecture';
import { LR_SCHEDULES } from '../../shared/learningRateSchedule';
import { BACKEND_NAMES, INIT_SCHEMES, PRESET_NAMES, type TrainingConfig } from '../../shared/trainingConfig';
import { PANEL_COMMANDS } from '../../shared/webviewProtocol';
import { CONFIG_FIELDS, MAX_COMPARED_RUNS } from '../../shared/runComparison';
import { STORED_RUN_STATUSES } from '../../shared/runManifest';
import { encodeBase64 } from '../../shared/base64Bytes';
import { TRAINER_PROTOCOL_VERSION } from '../../shared/trainerProtocol';

/** The seed every fuzz test runs with: FUZZ_SEED to replay a failure, else a fixed one. */
export const FUZZ_SEED = fuzzSeed(process.env.FUZZ_SEED);

function fuzzSeed(fromEnvironment: string | undefined): number {
  if (fromEnvironment === undefined) return 20261202;
  const seed = Number(fromEnvironment);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be a whole number (got ${JSON.stringify(fromEnvironment)})`);
  return seed;
}

// Printed with the test output, so any failure, including one outside fc.assert, can be replayed.
console.log(`fuzz seed ${FUZZ_SEED} (FUZZ_SEED=<n> replays another)`);

/** fc.assert parameters: seeded, and on failure the seed, path and shrunk counterexample in the error. */
export function fuzzParameters(numRuns: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns, verbose: fc.VerbosityLevel.None };
}

export const HOST_TO_TRAINER_TYPES = ['start', 'pause', 'continue', 'stop', 'evaluate', 'describeBlock', 'gallery',
  'inspect', 'requestFeatureMaps', 'predictDigit', 'requestProbeDigits', 'closeComparison'] as const;
export const TRAINER_TO_HOST_TYPES = ['ready', 'started', 'progress', 'evaluation', 'activations', 'blockDetails', 'checkpointSaved', 'phase', 'runState', 'finished', 'error', 'gallery',
  'inspecting', 'featureMaps', 'digitPrediction', 'probeDigits', 'requestSuperseded'] as const;
export const WEBVIEW_TO_HOST_TYPES = ['ready', 'selectBlock', 'runCommand', 'openSettings', 'requestGallery', 'startRun', 'requestFeatureMaps', 'predictDigit', 'requestProbeDigits', 'closeComparison'] as const;
export const HOST_TO_WEBVIEW_COMPARISON_TYPES = ['comparison'] as const;
export const HOST_TO_WEBVIEW_PREVIEW_TYPES = ['architecturePreview'] as const;

// ---- valid values ----

const count = fc.nat();
const requestId = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const name = fc.string({ maxLength: 20 });
/** A training statistic: any double (NaN and ±Infinity included), or null as JSON carries those. */
const statistic = fc.oneof(fc.double(), fc.constant(null));
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const dimension = fc.integer({ min: 1, max: 1_000_000 });
const tensorShape = fc.array(dimension, { minLength: 1, maxLength: 8 });
const padding = fc.constantFrom('same', 'valid');
const activation = fc.constantFrom(...ACTIVATIONS);
const short = <T>(item: fc.Arbitrary<T>) => fc.array(item, { maxLength: 4 });

export const trainingConfig: fc.Arbitrary<TrainingConfig> = fc.record({
  preset: fc.constantFrom(...PRESET_NAMES),
  init: fc.constantFrom(...INIT_SCHEMES),
  denseInitScale: fc.double({ min: 1e-12, max: 10, noNaN: true }),
  steps: fc.integer({ min: 1, max: 10_000_000 }),
  batchSize: fc.integer({ min: 1, max: 4096 }),
  learningRate: fc.double({ min: 1e-12, max: 10, noNaN: true }),
  lrSchedule: fc.constantFrom(...LR_SCHEDULES),
  warmupSteps: fc.integer({ min: 0, max: 10_000_000 }),
  lrFloor: fc.double({ min: 0, max: 1, noNaN: true }),
  denseLrScale: fc.double({ min: 1e-12, max: 100, noNaN: true }),
  adamEpsilon: fc.double({ min: 1e-12, max: 1, noNaN: true }),
  labelSmoothing: fc.double({ min: 0, max: 0.99, noNaN: true }),
  keepProb: fc.double({ min: 1e-12, max: 1, noNaN: true }),
  logEvery: fc.integer({ min: 1, max: 10_000_000 }),
  evalEvery: fc.integer({ min: 0, max: 10_000_000 }),
  checkpointEvery: fc.integer({ min: 0, max: 10_000_000 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  backend: fc.constantFrom(...BACKEND_NAMES),
  dataDir: fc.string({ maxLength: 40 }),
});

/** Layers are named (parameters are named after them), so never empty. */
const layerName = fc.string({ minLength: 1, maxLength: 20 });
const convLayer = fc.record({
  op: fc.constant('conv2d'), name: layerName, kernel: dimension, stride: dimension, filters: dimension, padding, bias: fc.boolean(), activation,
});
const layerSpec = fc.oneof(
  convLayer,
  fc.record({ op: fc.constant('maxPool'), name: layerName, size: dimension, stride: dimension, padding }),
  fc.record({ op: fc.constant('avgPool'), name: layerName, size: dimension, stride: dimension, padding }),
  fc.record({ op: fc.constant('globalAvgPool'), name: layerName }),
  fc.record({ op: fc.constant('batchNorm'), name: layerName, epsilon: finite, momentum: finite, activation }),
  fc.record({ op: fc.constant('flatten'), name: layerName }),
  fc.record({ op: fc.constant('dense'), name: layerName, units: dimension, bias: fc.boolean(), activation }),
  fc.record({ op: fc.constant('dropout'), name: layerName, keepProb: finite }),
  fc.record({ op: fc.constant('add'), name: layerName, bias: fc.boolean(), activation }),
);
const blockSpec = fc.record(
  {
    id: name, kind: fc.constantFrom('input', 'conv', 'pool', 'residual', 'flatten', 'dense', 'dropout'), title: name, layers: short(layerSpec),
    shortcut: fc.oneof(fc.record({ kind: fc.constant('identity') }), fc.record({ kind: fc.constant('projection'), layer: convLayer })),
  },
  { requiredKeys: ['id', 'kind', 'title', 'layers'] },
);
const layerFigures = fc.record(
  { name, op: fc.constantFrom('conv2d', 'maxPool', 'avgPool', 'globalAvgPool', 'batchNorm', 'flatten', 'dense', 'dropout', 'add'), inputShape: tensorShape, outputShape: tensorShape, params: count, macs: count, detail: name, shortcut: fc.boolean() },
  { requiredKeys: ['name', 'op', 'inputShape', 'outputShape', 'params', 'macs', 'detail'] },
);
const architectureSpec = fc.record({ name, inputShape: fc.tuple(dimension, dimension, dimension), classes: fc.integer({ min: 1, max: 1000 }), blocks: short(blockSpec) });
const architecture = fc.record({
  spec: architectureSpec,
  figures: fc.record({
    blocks: short(fc.record({ id: name, inputShape: tensorShape, outputShape: tensorShape, params: count, macs: count, layers: short(layerFigures) })),
    totalParams: count,
    totalMacs: count,
  }),
});
const progressReport = fc.record({
  step: count, totalSteps: count, epoch: count, loss: statistic, batchAccuracy: statistic, imagesPerSec: statistic, etaSec: statistic, elapsedSec: statistic,
});
const digit = fc.integer({ min: 0, max: 9 });
const confusionReport = fc.record({
  matrix: fc.array(fc.array(count, { minLength: 10, maxLength: 10 }), { minLength: 10, maxLength: 10 }),
  perClassAccuracy: fc.array(fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }), { minLength: 10, maxLength: 10 }),
});
const evaluationReport = fc.record({
  step: count, split: fc.constantFrom('validation', 'test'), accuracy: statistic, loss: statistic, examples: count, predictedClassCounts: fc.array(count, { maxLength: 10 }),
  confusion: confusionReport,
}, { requiredKeys: ['step', 'split', 'accuracy', 'loss', 'examples', 'predictedClassCounts'] });
/** An evaluation just made always carries its confusion matrix. */
const freshEvaluationReport = fc.tuple(evaluationReport, confusionReport).map(([report, confusion]) => ({ ...report, confusion }));
const galleryQuery = fc.record({
  split: fc.constantFrom('validation', 'test'), step: count,
  selection: fc.oneof(fc.record({ kind: fc.constant('cell'), trueDigit: digit, predictedDigit: digit }), fc.constant({ kind: 'confidentlyWrong' })),
  limit: fc.integer({ min: 1, max: 48 }),
});
/** A reply of n images: byte strings of exactly the base64 length n images take. */
const errorGallery = fc.tuple(galleryQuery, fc.integer({ min: 0, max: 3 }), fc.nat(100)).chain(([query, n, extra]) => fc.record({
  query: fc.constant(query), matches: fc.constant(n + extra),
  indices: fc.array(count, { minLength: n, maxLength: n }), labels: fc.array(digit, { minLength: n, maxLength: n }),
  pixels: fc.constant('A'.repeat(Math.ceil((n * 784) / 3) * 4)), topPredictions: fc.constant('A'.repeat(Math.ceil((n * 6) / 3) * 4)),
}));
/** Bytes as base64, as the inside views carry them. */
const base64Of = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map(encodeBase64);
/** Block ids are short names. */
const blockId = fc.stringMatching(/^[A-Za-z0-9_]{1,64}$/);
const digitPixels = base64Of(784);
const probeChoice = fc.oneof(fc.record({ kind: fc.constant('probe'), digit }), fc.record({ kind: fc.constant('drawn'), pixels: digitPixels }));
const probeRef = fc.oneof(fc.record({ kind: fc.constant('probe'), digit }), fc.constant({ kind: 'drawn' }));
/** One layer of c channels of h × w maps: order a permutation, dead a subset, byte strings of exactly their length. */
const featureMapLayer = fc.tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 6 })).chain(([height, width, channels]) => {
  const all = Array.from({ length: channels }, (_, c) => c);
  return fc.record({
    layerName: name, height: fc.constant(height), width: fc.constant(width), channels: fc.constant(channels),
    order: fc.shuffledSubarray(all, { minLength: channels, maxLength: channels }), dead: fc.subarray(all),
    ranges: base64Of(channels * 8), maps: fc.constant('A'.repeat(Math.ceil((channels * height * width) / 3) * 4)),
  });
});
const featureMapsReport = fc.record({ blockId, step: count, probe: probeRef, layers: fc.array(featureMapLayer, { maxLength: 3 }) });
const digitPrediction = fc.record({ step: count, probabilities: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 10, maxLength: 10 }) });
const probeDigits = fc.record({ images: base64Of(7840), indices: fc.array(count, { minLength: 10, maxLength: 10 }) });
const runPhase = fc.oneof(
  fc.constant({ kind: 'training' }), fc.constant({ kind: 'checkpointing' }),
  fc.tuple(fc.constantFrom('validating', 'testing'), fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([kind, total, share]) => ({ kind, done: Math.floor(total * share), total })),
);
const layerActivationStats = fc.record({
  layerName: name, blockId: name, mean: statistic, std: statistic, maxAbs: statistic, zeroFraction: statistic, deadFraction: statistic,
});
const activationReport = fc.record({
  step: count, probeExamples: count, layers: short(layerActivationStats),
  logits: fc.record({ std: statistic, maxAbs: statistic, meanMaxSoftmax: statistic, saturatedFraction: statistic, confidentlyWrongFraction: statistic }),
});
const blockDetails = fc.record({
  blockId: name, step: count,
  weights: short(fc.record({ name, shape: fc.array(count, { maxLength: 8 }), count, min: statistic, max: statistic, mean: statistic, std: statistic, nanCount: count })),
  activations: short(layerActivationStats),
});
const runSummary = fc.record(
  {
    outcome: fc.constantFrom('finished', 'stopped'), config: trainingConfig, stepsDone: count, backend: name,
    wallSec: finite, trainSec: finite, imagesPerSec: finite, peakRssMb: finite, finalValidation: evaluationReport, test: evaluationReport,
    firstStepEndedAt: finite,
  },
  { requiredKeys: ['outcome', 'config', 'stepsDone', 'backend', 'wallSec', 'trainSec', 'imagesPerSec', 'peakRssMb'] },
);

export const validHostToTrainer = fc.oneof(
  fc.record({
    type: fc.constant('start'), config: trainingConfig, checkpointDir: fc.string({ minLength: 1, maxLength: 60 }), resume: fc.boolean(), architecture: fc.option(architectureSpec, { nil: null }),
    detached: fc.option(fc.record({ runDir: fc.string({ minLength: 1, maxLength: 60 }), windowId: fc.string({ minLength: 1, maxLength: 40 }), graceMs: fc.integer({ min: 0, max: 86_400_000 }), keepTraining: fc.boolean() }), { nil: null }),
  }),
  fc.record({ type: fc.constantFrom('pause', 'continue', 'stop') }),
  fc.record({ type: fc.constant('evaluate'), requestId, split: fc.constantFrom('validation', 'test') }),
  fc.record({ type: fc.constant('describeBlock'), requestId, blockId: fc.string({ maxLength: 64 }) }),
  fc.record({ type: fc.constant('gallery'), requestId, query: galleryQuery }),
  fc.record({ type: fc.constant('inspect'), config: trainingConfig, checkpointDir: fc.string({ minLength: 1, maxLength: 60 }), loadModel: fc.boolean() }),
  fc.record({ type: fc.constant('requestFeatureMaps'), requestId, blockId, probe: probeChoice }),
  fc.record({ type: fc.constant('predictDigit'), requestId, pixels: digitPixels }),
  fc.record({ type: fc.constant('requestProbeDigits'), requestId }),
);

export const validTrainerToHost = fc.oneof(
  fc.record({ type: fc.constant('ready'), protocolVersion: fc.constant(TRAINER_PROTOCOL_VERSION) }),
  fc.record(
    { type: fc.constant('started'), config: trainingConfig, architecture, backend: name, execution: fc.constantFrom('graph', 'eager'), startStep: count, history: fc.record({ progress: short(progressReport), evaluations: short(evaluationReport) }), warning: fc.string() },
    { requiredKeys: ['type', 'config', 'architecture', 'backend', 'execution', 'startStep', 'history'] },
  ),
  fc.record({ type: fc.constant('progress'), progress: progressReport }),
  fc.record({ type: fc.constant('evaluation'), evaluation: freshEvaluationReport, requestId }, { requiredKeys: ['type', 'evaluation'] }),
  fc.record({ type: fc.constant('activations'), activations: activationReport }),
  fc.record({ type: fc.constant('blockDetails'), requestId, details: blockDetails }),
  fc.record({ type: fc.constant('checkpointSaved'), checkpoint: fc.record({ step: count, path: fc.string({ maxLength: 60 }), bytes: count }) }),
  fc.record({ type: fc.constant('runState'), state: fc.constantFrom('running', 'paused') }),
  fc.record({ type: fc.constant('phase'), phase: runPhase }),
  fc.record({ type: fc.constant('gallery'), requestId, gallery: errorGallery }),
  fc.record({ type: fc.constant('finished'), summary: runSummary }),
  fc.record({ type: fc.constant('error'), message: fc.string(), fatal: fc.boolean(), requestId }, { requiredKeys: ['type', 'message', 'fatal'] }),
  fc.record({ type: fc.constant('inspecting'), step: fc.option(count, { nil: null }) }),
  fc.record({ type: fc.constant('featureMaps'), requestId, maps: featureMapsReport }),
  fc.record({ type: fc.constant('digitPrediction'), requestId, prediction: digitPrediction }),
  fc.record({ type: fc.constant('probeDigits'), requestId, probes: probeDigits }),
  fc.record({ type: fc.constant('requestSuperseded'), requestId }),
);

export const validWebviewToHost = fc.oneof(
  fc.constant({ type: 'ready' }),
  fc.record({ type: fc.constant('selectBlock'), blockId }),
  fc.record({ type: fc.constant('runCommand'), command: fc.constantFrom(...PANEL_COMMANDS) }),
  fc.constant({ type: 'openSettings' }),
  fc.record({ type: fc.constant('requestGallery'), requestId, query: galleryQuery }),
  fc.record({ type: fc.constant('startRun'), config: trainingConfig }),
  fc.record({ type: fc.constant('requestFeatureMaps'), blockId, probe: probeChoice }),
  fc.record({ type: fc.constant('predictDigit'), pixels: digitPixels }),
  fc.constant({ type: 'requestProbeDigits' }),
  fc.constant({ type: 'closeComparison' }),
);

const figure = fc.oneof(finite, fc.constant(null));
const runMetrics = fc.record({
  stepsDone: count, bestValidationAccuracy: figure, finalValidationAccuracy: figure, testAccuracy: figure, imagesPerSec: figure, wallSec: figure, peakRssMb: figure, fc1DeadFraction: figure,
});
const comparedRun = fc.tuple(fc.nat(5), fc.nat(3)).chain(([points, validations]) => fc.record({
  id: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,30}$/),
  name: fc.string({ maxLength: 40 }),
  status: fc.constantFrom(...STORED_RUN_STATUSES),
  elsewhere: fc.boolean(),
  config: trainingConfig,
  metrics: runMetrics,
  steps: fc.array(count, { minLength: points, maxLength: points }),
  loss: fc.array(statistic, { minLength: points, maxLength: points }),
  batchAccuracy: fc.array(statistic, { minLength: points, maxLength: points }),
  validationSteps: fc.array(count, { minLength: validations, maxLength: validations }),
  validationAccuracy: fc.array(statistic, { minLength: validations, maxLength: validations }),
}));

/** The host's comparison message to the webview (the Runs view's Compare), or its closing. */
export const validComparisonMessage = fc.oneof(
  fc.record({
    type: fc.constant('comparison'),
    comparison: fc.record({ runs: fc.array(comparedRun, { minLength: 1, maxLength: MAX_COMPARED_RUNS }), differing: fc.uniqueArray(fc.constantFrom(...CONFIG_FIELDS)) }),
  }),
  fc.constant({ type: 'comparison', comparison: null }),
);

/** The host's preview of the architecture file open in the editor, or null when none is open. */
export const validArchitecturePreviewMessage = fc.record({
  type: fc.constant('architecturePreview'),
  preview: fc.oneof(
    fc.constant(null),
    fc.record({
      file: fc.string({ minLength: 1, maxLength: 40 }),
      report: fc.oneof(fc.constant(null), architecture),
      stale: fc.boolean(),
      problems: short(fc.record({ line: fc.integer({ min: 1, max: 100_000 }), column: fc.integer({ min: 1, max: 1000 }), message: fc.string({ maxLength: 80 }) })),
    }),
  ),
});

// ---- one thing broken ----

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/** Keys that may be left out of a valid message; removing any other key breaks it. */
const OPTIONAL_KEYS = new Set(['warning', 'requestId', 'shortcut', 'finalValidation', 'test', 'confusion', 'firstStepEndedAt']);
/** Keys no message has: prototype-pollution names and stray fields. None starts with "x". */
const foreignKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__'), fc.string({ maxLength: 10 }).map((s) => `x${s}`));

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  // A statistic may be a number or null, so the two are one kind: swapping them breaks nothing.
  if (value === null || typeof value === 'number') return 'number';
  return typeof value;
}

/**
 * Replacements of another kind. A number but never null: null stands for "none" in nullable fields
 * (a start's architecture, a preview, a comparison), so an object replaced by null may be valid.
 */
const ofKind: Record<string, fc.Arbitrary<Json>> = {
  number: fc.double({ noNaN: true, noDefaultInfinity: true }),
  string: fc.string({ maxLength: 20 }),
  boolean: fc.boolean(),
  array: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }) as fc.Arbitrary<Json>,
  object: fc.dictionary(fc.string({ maxLength: 8 }).map((s) => `x${s}`), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }) as fc.Arbitrary<Json>,
};

/** Longer than any list a message may hold except the run history, whose items are objects. */
export const hugeArray = fc.integer({ min: 10_001, max: 50_000 }).map((n) => new Array<Json>(n).fill(0));
/** Nested far deeper than any message: `[[[…[0]…]]]` or `{"x":{"x":…}}`. */
export const deepNesting = fc.tuple(fc.integer({ min: 100, max: 3000 }), fc.boolean()).map(([depth, asArrays]) => {
  let value: Json = 0;
  for (let i = 0; i < depth; i++) value = asArrays ? [value] : { x: value };
  return value;
});

function paths(value: Json, at: Path = []): Path[] {
  const found: Path[] = at.length > 0 ? [at] : [];
  if (Array.isArray(value)) value.forEach((item, i) => found.push(...paths(item, [...at, i])));
  else if (value !== null && typeof value === 'object') for (const key of Object.keys(value)) found.push(...paths(value[key]!, [...at, key]));
  return found;
}

function objectPaths(value: Json, at: Path = []): Path[] {
  const found: Path[] = [];
  if (Array.isArray(value)) value.forEach((item, i) => found.push(...objectPaths(item, [...at, i])));
  else if (value !== null && typeof value === 'object') {
    found.push(at);
    for (const key of Object.keys(value)) found.push(...objectPaths(value[key]!, [...at, key]));
  }
  return found;
}

function at(value: Json, path: Path): Json {
  return path.reduce<Json>((node, key) => (node as Record<string | number, Json>)[key]!, value);
}

/** Sets an own, enumerable property, as JSON.parse does: even "__proto__" becomes a plain key. */
function setOwn(target: object, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export type Mutation = { message: Json; what: string };

/** A valid message with exactly one change that makes it invalid, and a note of the change. */
export function mutated(valid: fc.Arbitrary<object>): fc.Arbitrary<Mutation> {
  return valid.chain((original) => {
    const message = JSON.parse(JSON.stringify(original)) as Json;
    const removable = paths(message).filter((p) => typeof p[p.length - 1] === 'string' && !OPTIONAL_KEYS.has(p[p.length - 1] as string));
    const replaceable = paths(message);
    const options: fc.Arbitrary<Mutation>[] = [
      // An extra field, in the message or in any object inside it.
      fc.tuple(fc.constantFrom(...objectPaths(message)), foreignKey, fc.jsonValue({ maxDepth: 2 })).map(([path, key, value]) => {
        const copy = structuredClone(message);
        setOwn(at(copy, path) as object, key, value);
        return { message: copy, what: `extra field ${JSON.stringify(key)} at ${path.join('.') || 'top level'}` };
      }),
      // A field replaced by a value of another kind, a huge array, or deep nesting.
      fc.constantFrom(...replaceable).chain((path) => {
        const kind = kindOf(at(message, path));
        const otherKinds = Object.keys(ofKind).filter((k) => k !== kind).map((k) => ofKind[k]!);
        return fc.oneof(fc.oneof(...otherKinds), hugeArray, deepNesting).map((replacement) => {
          const copy = structuredClone(message);
          setOwn(at(copy, path.slice(0, -1)) as object, path[path.length - 1]!, replacement);
          return { message: copy, what: `${path.join('.')} replaced by a ${kindOf(replacement)}` };
        });
      }),
    ];
    if (removable.length > 0) {
      // A required field left out (from an object; an item left out of a list may still be valid).
      options.push(fc.constantFrom(...removable).map((path) => {
        const copy = structuredClone(message);
        const parent = at(copy, path.slice(0, -1)) as Record<string, Json>;
        delete parent[path[path.length - 1] as string];
        return { message: copy, what: `${path.join('.')} removed` };
      }));
    }
    return fc.oneof(...options);
  });
}

// ---- garbage ----

/** Values and objects whose `type`, if they have one, names no message of the edge. */
export function garbage(knownTypes: readonly string[]): fc.Arbitrary<unknown> {
  const unknownType = fc.oneof(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined)).filter((t) => !(typeof t === 'string' && knownTypes.includes(t)));
  const withPollution = fc.tuple(unknownType, fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.jsonValue({ maxDepth: 3 })).map(([type, key, value]) =>
    JSON.parse(`{${type === undefined ? '' : `"type":${JSON.stringify(type)},`}${JSON.stringify(key)}:${JSON.stringify(value)}}`) as unknown);
  return fc.oneof(
    fc.anything({ maxDepth: 3, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withSparseArray: true }),
    fc.jsonValue({ maxDepth: 4 }),
    fc.record({ type: unknownType }).chain((base) => fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }).map((rest) => ({ ...rest, ...base }))),
    withPollution,
    hugeArray,
    deepNesting,
    fc.integer({ min: 100_000, max: 1_000_000 }).map((n) => ({ type: 'x'.repeat(n) })),
  ).filter((value) => {
    // A dictionary could have drawn a key "type" holding a known type; that would not be garbage.
    const type = value !== null && typeof value === 'object' && Object.hasOwn(value, 'type') ? (value as { type: unknown }).type : undefined;
    return !(typeof type === 'string' && knownTypes.includes(type));
  });
}

/** Garbage that survives JSON, as it would over Node's IPC (no bigint, no undefined). */
export function jsonGarbage(knownTypes: readonly string[]): fc.Arbitrary<unknown> {
  return garbage(knownTypes).filter((value) => {
    try {
      const text = JSON.stringify(value);
      if (text === undefined) return false;
      const back = JSON.parse(text) as unknown;
      const type = back !== null && typeof back === 'object' && Object.hasOwn(back, 'type') ? (back as { type: unknown }).type : undefined;
      return !(typeof type === 'string' && knownTypes.includes(type));
    } catch {
      return false;
    }
  });
}
