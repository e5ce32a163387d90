// The benchmark's Python peers train the recipe of shared/trainingConfig.ts, not a copy of it:
// they read each preset through the built bench/peerRecipe.js, take every lever ours has, follow
// the same learning-rate schedule update by update, and refuse a recipe field they do not
// implement (a lever added later) instead of silently training something else.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { learningRateAt } from '../../shared/learningRateSchedule';
import { PRESET_NAMES, PRESETS, type TrainingConfig } from '../../shared/trainingConfig';
import { projectRoot } from '../support/paths';

const PEERS_DIR = path.join(projectRoot, 'bench', 'peers');

/** Runs Python code with bench/peers/peer_common imported as pc; returns its stdout's JSON, or the failure. */
function python(code: string, ...args: string[]): { ok: true; value: unknown } | { ok: false; stderr: string } {
  // Plain python3: peer_common needs only the standard library until a peer imports its framework.
  const done = spawnSync('python3', ['-c', `import sys, json\nsys.path.insert(0, ${JSON.stringify(PEERS_DIR)})\nimport peer_common as pc\n${code}`, ...args], { encoding: 'utf8' });
  if (done.error) throw done.error;
  return done.status === 0 ? { ok: true, value: JSON.parse(done.stdout) } : { ok: false, stderr: done.stderr };
}

/** What each peer lever must be for a config: the TrainingConfig field it comes from. */
function expectedLevers(config: TrainingConfig): Record<string, unknown> {
  return {
    init: config.init, dense_init_scale: config.denseInitScale, steps: config.steps, batch_size: config.batchSize, learning_rate: config.learningRate,
    lr_schedule: config.lrSchedule, warmup_steps: config.warmupSteps, lr_floor: config.lrFloor, dense_lr_scale: config.denseLrScale,
    adam_epsilon: config.adamEpsilon, keep_prob: config.keepProb, label_smoothing: config.labelSmoothing, seed: config.seed,
  };
}

test('a peer started with --preset NAME trains exactly the preset of shared/trainingConfig.ts, every lever', () => {
  for (const name of PRESET_NAMES) {
    const read = python('print(json.dumps(pc.preset_recipe(sys.argv[1])))', name);
    assert.ok(read.ok, `preset ${name}: ${read.ok ? '' : read.stderr}`);
    assert.deepEqual(read.value, PRESETS[name], `preset ${name} as the peers read it`);
    const levers = python('print(json.dumps(pc.recipe_levers(pc.preset_recipe(sys.argv[1]))))', name);
    assert.ok(levers.ok, levers.ok ? '' : levers.stderr);
    assert.deepEqual(levers.value, expectedLevers(PRESETS[name]), `preset ${name}: the peers' levers`);
  }
  const unknown = python('pc.preset_recipe("nonsense")');
  assert.ok(!unknown.ok && /unknown preset "nonsense"/.test(unknown.stderr), 'an unknown preset is refused by name');
});

test('the peers\' learning rate of every update is learningRateAt\'s, for both groups', () => {
  const recipes: TrainingConfig[] = [
    PRESETS.default,
    PRESETS.seed,
    // The smoke benchmark's W2: a run shorter than its warm-up.
    { ...PRESETS.default, steps: 10 },
    { ...PRESETS.default, steps: 300, warmupSteps: 20, lrFloor: 0.1, denseLrScale: 0.5 },
    { ...PRESETS.default, lrSchedule: 'constant' },
  ];
  for (const recipe of recipes) {
    const updates = [1, 2, 9, 10, 20, 21, 99, 100, 101, 150, 300, 900, recipe.steps - 1, recipe.steps, recipe.steps + 5];
    const rates = python(
      'import argparse\nargs = argparse.Namespace(**pc.recipe_levers(json.loads(sys.argv[1])))\n'
      + 'print(json.dumps([pc.learning_rates_at(args, t) for t in json.loads(sys.argv[2])]))',
      JSON.stringify(recipe), JSON.stringify(updates));
    assert.ok(rates.ok, rates.ok ? '' : rates.stderr);
    updates.forEach((t, i) => {
      const ours = learningRateAt(recipe, t);
      const [conv, dense] = (rates.value as [number, number][])[i]!;
      const what = `${JSON.stringify({ steps: recipe.steps, warmupSteps: recipe.warmupSteps, lrSchedule: recipe.lrSchedule })} t=${t}`;
      assert.ok(Math.abs(conv - ours.conv) <= 1e-18, `${what}: conv ${conv} ≠ ${ours.conv}`);
      assert.ok(Math.abs(dense - ours.dense) <= 1e-18, `${what}: dense ${dense} ≠ ${ours.dense}`);
    });
  }
});

test('a recipe with a field the peers do not implement, or without one they need, is refused by name', () => {
  const levers = (recipe: unknown) => python('print(json.dumps(pc.recipe_levers(json.loads(sys.argv[1]))))', JSON.stringify(recipe));
  const added = levers({ ...PRESETS.default, weightDecay: 1e-4 });
  assert.ok(!added.ok && /do not implement recipe field\(s\) weightDecay/.test(added.stderr), added.ok ? 'accepted weightDecay' : added.stderr);
  const { steps: _steps, ...withoutSteps } = PRESETS.default;
  const missing = levers(withoutSteps);
  assert.ok(!missing.ok && /lacks steps/.test(missing.stderr), missing.ok ? 'accepted a recipe without steps' : missing.stderr);
  const notObject = levers([1, 2]);
  assert.ok(!notObject.ok && /JSON object/.test(notObject.stderr), 'a recipe that is not an object is refused');
});

test('a peer given such a recipe on its command line stops with a usage error before training', () => {
  for (const peer of ['tf1_seed.py', 'torch_resnet.py']) {
    for (const [recipe, expected] of [
      [JSON.stringify({ ...PRESETS.default, weightDecay: 1e-4 }), /recipe: the peers do not implement recipe field\(s\) weightDecay/],
      ['{"steps": 10', /recipe: /],
    ] as const) {
      // MALLOC_* set as the peer would set them itself, so it does not re-exec first (either way it exits the same).
      const done = spawnSync('python3', [path.join(PEERS_DIR, peer), '--recipe', recipe, '--json'], {
        encoding: 'utf8', env: { ...process.env, MALLOC_MMAP_THRESHOLD_: String(4 * 2 ** 30), MALLOC_TRIM_THRESHOLD_: String(64 * 2 ** 30) },
      });
      assert.equal(done.status, 2, `${peer}: exit status (stderr: ${done.stderr})`);
      assert.match(done.stderr, expected, `${peer}: says why`);
      assert.equal(done.stdout, '', `${peer}: trained nothing`);
    }
  }
});
