// The run's phase: its guard (it crosses IPC) and how it reads in the panel and status bar.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describePhase, isRunPhase } from '../../shared/runPhase';

test('phases read as the panel and status bar show them', () => {
  assert.equal(describePhase({ kind: 'validating', done: 2000, total: 5000 }), 'validating 5,000 images… 40%');
  assert.equal(describePhase({ kind: 'testing', done: 0, total: 10000 }), 'testing 10,000 images… 0%');
  assert.equal(describePhase({ kind: 'testing', done: 9999, total: 10000 }), 'testing 10,000 images… 99%');
  assert.equal(describePhase({ kind: 'checkpointing' }), 'writing checkpoint…');
  assert.equal(describePhase({ kind: 'training' }), 'training');
});

test('the guard accepts well-formed phases and refuses every malformed one', () => {
  for (const good of [{ kind: 'training' }, { kind: 'checkpointing' }, { kind: 'validating', done: 0, total: 5000 }, { kind: 'testing', done: 10000, total: 10000 }]) {
    assert.equal(isRunPhase(good), true, JSON.stringify(good));
  }
  for (const bad of [null, 'training', [], { kind: 'sleeping' }, { kind: 'validating' }, { kind: 'validating', done: 6000, total: 5000 },
    { kind: 'testing', done: -1, total: 10 }, { kind: 'testing', done: 1.5, total: 10 }, { kind: 'testing', done: 0, total: 0 }, { kind: 'validating', done: '1', total: 10 }]) {
    assert.equal(isRunPhase(bad), false, JSON.stringify(bad));
  }
});
