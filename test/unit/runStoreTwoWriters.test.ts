// Two writers on one runs root, with the real CLI training on the real backend: while one
// trainer process trains a run, a second trainer process, a second extension host's session
// and the retention cannot resume, delete or clobber it; once it has stopped, it can be resumed,
// and a resumed trainer killed with SIGKILL leaves the run shown as crashed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { RunLockedError } from '../../runStore/runLock';
import { RunStore } from '../../runStore/runStore';
import { TrainingSession } from '../../src/session/trainingSession';
import { FakeTrainer } from '../support/fakeTrainer';
import { jsonEvents } from '../support/jsonLines';
import { cliBundle, tempDir } from '../support/paths';

const TRAIN_FLAGS = ['--steps', '400', '--batch-size', '2', '--checkpoint-every', '1', '--eval-every', '0', '--log-every', '1', '--json'];
const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' };

function cli(args: string[]) {
  const child = spawn(process.execPath, [cliBundle, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr, ...jsonEvents(child) };
}

test('a second trainer process, a second window and the retention cannot clobber a running run', async () => {
  const root = tempDir('two-writers');
  const first = cli(['--runs-dir', root, ...TRAIN_FLAGS]);
  try {
    const started = await first.waitFor((e) => e.event === 'started');
    const runId = started.runId as string;
    assert.equal(started.runDir, path.join(root, runId));
    await first.waitFor((e) => e.event === 'checkpoint');

    // A second trainer process asked to resume that run, by id or as the newest: refused, and it says by whom.
    const byId = cli(['--runs-dir', root, '--resume', '--run', runId, '--json']);
    assert.equal(await byId.exited, 1);
    assert.match(byId.stderr(), new RegExp(`Run ${runId} cannot be resumed: it is being trained by a terminal run \\(pid ${first.child.pid}\\)`));
    const newest = cli(['--runs-dir', root, '--resume', '--json']);
    assert.equal(await newest.exited, 1);
    assert.match(newest.stderr(), /There is no stopped or crashed run with a checkpoint in .* to resume/);

    // A second extension host on the same root (its own session) shows it as running elsewhere and cannot resume it.
    const window2 = new TrainingSession(() => new FakeTrainer(), { get: () => undefined, set: () => {} }, root, { info() {}, warn() {}, error() {} });
    const [seen] = window2.runs.list();
    assert.equal(seen!.id, runId);
    assert.equal(seen!.status, 'running');
    assert.equal(seen!.lockedElsewhere, true);
    assert.throws(() => window2.resume(runId), RunLockedError);
    assert.throws(() => window2.runs.delete(runId), /cannot be deleted: it is being trained by a terminal run/);
    assert.deepEqual(window2.runs.applyRetention(0), [], 'retention skips a running run');
    assert.ok(new RunStore(root).get(runId)!.hasCheckpoint);

    // Ctrl-C: the run stops at a checkpoint and says so in run.json.
    first.child.kill('SIGINT');
    assert.equal(await first.exited, 0);
    const stopped = new RunStore(root).get(runId)!;
    assert.equal(stopped.status, 'stopped');
    assert.equal(stopped.lock.kind, 'free');
    const stepsDone = stopped.manifest.metrics.stepsDone;
    assert.ok(stepsDone >= 1);
    assert.deepEqual(new RunStore(root).history(runId).progress.at(-1)!.step, stepsDone);

    // Now a second trainer may resume it (the newest resumable run), and a SIGKILL leaves it crashed.
    const second = cli(['--runs-dir', root, '--resume', ...TRAIN_FLAGS]);
    const resumed = await second.waitFor((e) => e.event === 'started');
    assert.equal(resumed.runId, runId);
    assert.equal(resumed.startStep, stepsDone);
    await second.waitFor((e) => e.event === 'progress');
    second.child.kill('SIGKILL');
    await second.exited;
    const killed = new RunStore(root).get(runId)!;
    assert.equal(killed.manifest.status, 'running', 'run.json was not told');
    assert.equal(killed.status, 'crashed', 'its lock is stale: shown as crashed');
    assert.equal(killed.lockedElsewhere, false);
    assert.equal(fs.readdirSync(root).filter((name) => !name.startsWith('.')).length, 1, 'one run, no stray folders');
  } finally {
    if (first.child.exitCode === null) first.child.kill('SIGKILL');
  }
});
