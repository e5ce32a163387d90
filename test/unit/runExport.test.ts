// The host side of Export Model…: runExport forks the real dist/export.js and turns its one JSON
// line into a report, or its death into an error. The checkpoints here are made by hand (weights
// only, a fixed pattern): what matters is the host's handling, not the numbers
// (exportSavedModel.test.ts checks those against real clients).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { seedResNetArchitecture } from '../../shared/architecture';
import { resolveConfig } from '../../shared/trainingConfig';
import { CheckpointStore } from '../../trainer/checkpoint/checkpointStore';
import { parameterSpecs } from '../../trainer/model/parameterSpecs';
import { runExport } from '../../src/export/runExport';
import { exportBundle, tempDir } from '../support/paths';

/** A checkpoint folder holding the parameters of the default network (minus `omit`), at step 7. */
function handMadeCheckpoint(omit?: string): string {
  const dir = tempDir('run-export-checkpoint');
  const tensors = parameterSpecs(seedResNetArchitecture()).filter((spec) => spec.name !== omit).map((spec) => {
    const data = new Float32Array(spec.shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = ((i % 13) - 6) * 1e-3;
    return { name: spec.name, shape: spec.shape, data };
  });
  new CheckpointStore(dir).save({
    savedAt: '2026-01-01T00:00:00.000Z', step: 7, config: resolveConfig('default'), dataOrder: { epoch: 0, cursor: 448, epochRngState: 1 },
    adamIteration: 7, trainSec: 1, history: { progress: [], evaluations: [] },
  }, tensors);
  return dir;
}

test('an export that succeeds resolves with what was written', async () => {
  const checkpointDir = handMadeCheckpoint();
  const out = path.join(tempDir('run-export-out'), 'model');
  const report = await runExport(exportBundle, checkpointDir, out);
  assert.equal(report.event, 'exported');
  if (report.event !== 'exported') return;
  assert.equal(report.step, 7);
  assert.equal(report.parameterCount, 13_071_562);
  assert.equal(report.out, out);
  assert.equal(report.checkpoint, path.join(checkpointDir, 'checkpoint.rlck'));
  assert.equal(fs.statSync(path.join(out, 'saved_model.pb')).size, report.bytes);
  assert.equal(report.warning, undefined);
});

test('a checkpoint of another architecture is refused as a checkpoint problem, in one line', async () => {
  const checkpointDir = handMadeCheckpoint('fc2/dense/bias');
  const out = path.join(tempDir('run-export-out'), 'model');
  const report = await runExport(exportBundle, checkpointDir, out);
  assert.deepEqual(report, {
    event: 'failed', problem: 'checkpoint',
    message: `${path.join(checkpointDir, 'checkpoint.rlck')}: has no tensor fc2/dense/bias; it was made for another architecture.`,
  });
  assert.equal(fs.existsSync(out), false);
});

test('a non-empty OUT is refused as an output problem', async () => {
  const out = tempDir('run-export-full');
  fs.writeFileSync(path.join(out, 'keep.txt'), 'x');
  const report = await runExport(exportBundle, tempDir('run-export-no-checkpoint'), out);
  assert.equal(report.event, 'failed');
  assert.equal(report.event === 'failed' && report.problem, 'output');
});

test('a script that dies without a report rejects with its exit and last words', async () => {
  const missingScript = path.join(tempDir('run-export-script'), 'export.js');
  await assert.rejects(runExport(missingScript, 'c', 'o'), (error: Error) => {
    assert.match(error.message, /^the export exited with code 1 without a result: /);
    return true;
  });
});
