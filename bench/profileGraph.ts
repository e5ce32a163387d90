// `npm run bench:profile [-- --batch B] [--architecture FILE] [--gradients tensorflow|tape]`: where a graph training step's time goes, op by op.
// Writes the trainer's own training-step graph (trainer/graph) as a SavedModel, then has the
// bench venv's TensorFlow (the same libtensorflow 2.15.1) run it with full tracing, one op at a
// time (inter-op threads 1, so op times add up to the step) and on 2 intra-op threads.
// Results: bench/results/graph-profile-batch<B>.md (graph-profile-<file name>-batch<B>.md for a file's network;
// -tensorflow-gradients before .md with the gradients TensorFlow writes instead of the default's).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { seedResNetArchitecture } from '../shared/architecture';
import { errorMessage } from '../shared/errorMessage';
import { PRESETS } from '../shared/trainingConfig';
import { readArchitectureFile } from '../trainer/readArchitectureFile';
import { DEFAULT_GRADIENT_SOURCE, GRADIENT_SOURCES, type GradientSource } from '../trainer/graph/lossGradients';
import { buildResNetTrainingGraph } from '../trainer/graph/resnetTrainingGraph';
import { parameterSpecs } from '../trainer/model/parameterSpecs';
import { adamSettingsFor } from '../trainer/train/adamSettings';

const ROOT = path.resolve(__dirname, '..', '..');
const VENV_PYTHON = path.join(ROOT, 'bench', '.venv', 'bin', 'python');

function main(): void {
  const batchFlag = process.argv.indexOf('--batch');
  const batch = batchFlag >= 0 ? Number(process.argv[batchFlag + 1]) : PRESETS.default.batchSize;
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`--batch needs a positive whole number (got ${process.argv[batchFlag + 1]})`);
  const setup = spawnSync('bash', [path.join(ROOT, 'bench/python/setup_venv.sh')], { stdio: 'inherit' });
  if (setup.status !== 0) throw new Error('setting up the Python venv failed (bench/python/setup_venv.sh)');
  const fileFlag = process.argv.indexOf('--architecture');
  const file = fileFlag >= 0 ? process.argv[fileFlag + 1] : undefined;
  if (fileFlag >= 0 && !file) throw new Error('--architecture needs a file name');
  const read = file ? readArchitectureFile(file) : { ok: true as const, spec: seedResNetArchitecture() };
  if (!read.ok) throw new Error(`the architecture file has problems:\n${read.problems}`);
  const arch = read.spec;
  const gradientsFlag = process.argv.indexOf('--gradients');
  const gradients = (gradientsFlag >= 0 ? process.argv[gradientsFlag + 1] : DEFAULT_GRADIENT_SOURCE) as GradientSource;
  if (!GRADIENT_SOURCES.includes(gradients)) throw new Error(`--gradients needs one of ${GRADIENT_SOURCES.join(', ')} (got ${process.argv[gradientsFlag + 1]})`);
  const { graph, names } = buildResNetTrainingGraph(arch, parameterSpecs(arch), adamSettingsFor(PRESETS.default, arch), gradients);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resnet-lab-profile-'));
  try {
    fs.writeFileSync(path.join(dir, 'saved_model.pb'), graph.toSavedModel());
    fs.writeFileSync(path.join(dir, 'names.json'), JSON.stringify(names));
    const out = path.join(ROOT, 'bench', 'results', `graph-profile-${file ? `${path.basename(file).replace(/\.resnet\.json$/, '')}-` : ''}batch${batch}${gradients === DEFAULT_GRADIENT_SOURCE ? '' : `-${gradients}-gradients`}.md`);
    const run = spawnSync(VENV_PYTHON, [path.join(ROOT, 'bench/python/profile_graph.py'), '--graph-dir', dir, '--batch', String(batch), '--out', out], {
      stdio: 'inherit', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', OMP_NUM_THREADS: '2' },
    });
    if (run.status !== 0) throw new Error('profile_graph.py failed');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  console.error(`bench:profile: ${errorMessage(error)}`);
  process.exit(1);
}
