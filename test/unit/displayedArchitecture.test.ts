// The panel draws the network of the run it shows, and before any run the one Train would build
// from the settings; where neither is known it says why instead of drawing a guess.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seedResNetArchitecture, type DropoutLayerSpec } from '../../shared/architecture';
import { architectureKey, displayedArchitecture } from '../../shared/displayedArchitecture';
import { computeModelFigures } from '../../shared/modelFigures';
import { resolveConfig, type SettingsResult } from '../../shared/trainingConfig';
import { emptySnapshot, type SessionSnapshot } from '../../shared/webviewProtocol';
import { smallArchitecture } from '../support/smallArchitecture';

const defaults: SettingsResult = { ok: true, config: resolveConfig('default') };
const seedSettings: SettingsResult = { ok: true, config: resolveConfig('seed') };

function dropoutOf(shown: ReturnType<typeof displayedArchitecture>): { keepProb: number; title: string } {
  assert.ok(shown.report, 'a network is drawn');
  const block = shown.report.spec.blocks.find((b) => b.id === 'dropout')!;
  return { keepProb: (block.layers[0] as DropoutLayerSpec).keepProb, title: block.title };
}

test('before any run: the network Train would build, with the settings\' keep probability', () => {
  const idle = emptySnapshot();
  const next = displayedArchitecture(idle, defaults);
  assert.equal(next.report === null ? null : next.whose, 'nextRun');
  // The default preset trains with keep 1, not the seed's 0.5.
  assert.deepEqual(dropoutOf(next), { keepProb: 1, title: 'dropout · keep 1' });
  assert.deepEqual(next.report!.spec, seedResNetArchitecture(1));
  assert.equal(next.report!.figures.totalParams, 13_071_562);
  assert.deepEqual(dropoutOf(displayedArchitecture(idle, seedSettings)), { keepProb: 0.5, title: 'dropout · keep 0.5' });
  const custom: SettingsResult = { ok: true, config: resolveConfig('default', { keepProb: 0.8 }) };
  assert.deepEqual(dropoutOf(displayedArchitecture(idle, custom)), { keepProb: 0.8, title: 'dropout · keep 0.8' });
});

test('a run shown: its own network, whatever the settings say', () => {
  const spec = smallArchitecture({ 'res2b/conv2': 12 });
  const report = { spec, figures: computeModelFigures(spec) };
  for (const state of ['running', 'stopped', 'finished', 'crashed'] as const) {
    const shown = displayedArchitecture({ ...emptySnapshot(), state, architecture: report }, seedSettings);
    assert.equal(shown.report, report, state);
    assert.equal(shown.report === null ? null : shown.whose, 'run');
  }
  // The seed network with keep 1, run under settings that now say 0.5.
  const seedRun = { spec: seedResNetArchitecture(1), figures: computeModelFigures(seedResNetArchitecture(1)) };
  assert.deepEqual(dropoutOf(displayedArchitecture({ ...emptySnapshot(), state: 'stopped', architecture: seedRun }, seedSettings)), { keepProb: 1, title: 'dropout · keep 1' });
});

test('nothing known: no network is drawn, and the panel says why', () => {
  const cases: [string, SessionSnapshot | null, SettingsResult | null, string][] = [
    ['before the first snapshot', null, null, 'Waiting for the extension…'],
    ['invalid settings and no run', emptySnapshot(), { ok: false, problems: ['Keep probability must be more than 0 (got 0)'] }, 'Fix the settings to see the network Train would build.'],
    ['a run whose network is not recorded', { ...emptySnapshot(), state: 'stopped', step: 40 }, defaults, 'This run\'s network is shown once it is resumed.'],
    ['a run starting before its network is known', { ...emptySnapshot(), state: 'starting' }, defaults, 'This run\'s network is shown once it is resumed.'],
  ];
  for (const [name, snapshot, nextRun, reason] of cases) {
    assert.deepEqual(displayedArchitecture(snapshot, nextRun), { report: null, reason }, name);
  }
});

test('the drawing key changes with any field of the spec, so a changed keep probability is redrawn', () => {
  const report = (keepProb: number) => ({ spec: seedResNetArchitecture(keepProb), figures: computeModelFigures(seedResNetArchitecture(keepProb)) });
  assert.notEqual(architectureKey(report(0.5)), architectureKey(report(1)));
  assert.equal(architectureKey(report(1)), architectureKey(report(1)));
  const wide = smallArchitecture({ 'res2b/conv2': 12 });
  assert.notEqual(architectureKey({ spec: wide, figures: computeModelFigures(wide) }), architectureKey({ spec: smallArchitecture(), figures: computeModelFigures(smallArchitecture()) }));
});
