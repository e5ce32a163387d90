// A trainer killed with SIGKILL at any moment, mid-write included, leaves a loadable checkpoint.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { CheckpointStore } from '../../trainer/checkpoint/checkpointStore';
import { jsonEvents } from '../support/jsonLines';
import { cliBundle, tempDir } from '../support/paths';

// Delays after the first checkpoint, spread over a checkpoint write (~150 MB) and a step.
const KILL_DELAYS_MS = [0, 35, 120, 260, 500];

test('SIGKILL at any moment leaves a checkpoint that loads and validates', async () => {
  for (const delay of KILL_DELAYS_MS) {
    const dir = tempDir('kill');
    const child = spawn(process.execPath, [cliBundle, '--steps', '500', '--batch-size', '2', '--checkpoint-every', '1', '--eval-every', '0', '--log-every', '1', '--json', '--checkpoint-dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
    });
    const { waitFor } = jsonEvents(child);
    await waitFor((e) => e.event === 'checkpoint');
    await new Promise((resolve) => setTimeout(resolve, delay));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const loaded = new CheckpointStore(dir).load();
    assert.ok(loaded, `no checkpoint after a kill ${delay} ms in`);
    assert.ok(loaded.header.step >= 1);
    assert.equal(loaded.tensors.get('fc1/dense/kernel')!.data.length, 12544 * 1024);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
