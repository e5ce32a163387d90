// The trainer socket's framing (one JSON value per line) and address (in the run folder, or under
// the temp folder when too long for a Unix socket path; a named pipe on Windows), and the setting
// that keeps a trainer training when no window is attached.
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { trainerSocketAddress } from '../../runStore/trainerSocketAddress';
import { encodeLine, LineDecoder } from '../../shared/lineFraming';
import { keepTrainingSetting } from '../../src/session/keepTrainingSetting';

test('a line is one JSON value and its newline; lines split anywhere across chunks decode whole, in order', () => {
  const messages = [{ type: 'ready', text: 'a\nb' }, { type: 'progress', n: 1.5 }, { type: 'stop' }];
  const wire = messages.map(encodeLine).join('');
  assert.equal(wire.split('\n').length, 4, 'a newline inside a string is escaped, so each message is one line');
  for (const size of [1, 2, 7, wire.length]) {
    const decoder = new LineDecoder();
    const decoded = [];
    for (let i = 0; i < wire.length; i += size) decoded.push(...decoder.push(wire.slice(i, i + size)));
    assert.deepEqual(decoded, messages.map((value) => ({ ok: true, value })), `chunks of ${size}`);
  }
});

test('a line that is not JSON is reported (not thrown) and the next line still decodes; blank lines are skipped', () => {
  const decoder = new LineDecoder();
  assert.deepEqual(decoder.push('{"type":\n\n[1,2]\n'), [{ ok: false, error: 'a line that is not JSON: {"type":' }, { ok: true, value: [1, 2] }]);
});

test('a line longer than the limit is reported once and dropped up to its newline; the stream goes on', () => {
  const decoder = new LineDecoder(10);
  assert.deepEqual(decoder.push('0123456789ABC'), [{ ok: false, error: 'a line longer than 10 characters (no newline)' }]);
  assert.deepEqual(decoder.push('more of it'), []);
  assert.deepEqual(decoder.push('…end\n"ok"\n'), [{ ok: true, value: 'ok' }]);
});

test('the socket is in the run folder when the path fits a Unix socket path, else under the temp folder; a named pipe on Windows', () => {
  assert.equal(trainerSocketAddress('/tmp/runs/20261202-091500-abcd', 'linux'), '/tmp/runs/20261202-091500-abcd/trainer.sock');
  const deep = path.join('/home/user/.vscode-server/data/User/globalStorage/resnet-lab.resnet-lab/runs', '20261202-091500-abcd');
  const address = trainerSocketAddress(deep, 'linux');
  assert.equal(path.dirname(address), os.tmpdir());
  assert.match(path.basename(address), /^resnet-lab-trainer-[0-9a-f]{16}\.sock$/);
  assert.equal(trainerSocketAddress(deep, 'linux'), address, 'both ends compute the same address');
  assert.notEqual(trainerSocketAddress(`${deep}x`, 'linux'), address, 'another run, another address');
  assert.match(trainerSocketAddress(deep, 'win32'), /^\\\\\.\\pipe\\resnet-lab-trainer-[0-9a-f]{16}$/);
});

test('resnetLab.keepTrainingWhenEditorCloses: true or false; unset is false; anything else is refused with the reason', () => {
  assert.deepEqual(keepTrainingSetting(undefined), { keepTraining: false });
  assert.deepEqual(keepTrainingSetting(null), { keepTraining: false });
  assert.deepEqual(keepTrainingSetting(true), { keepTraining: true });
  assert.deepEqual(keepTrainingSetting(false), { keepTraining: false });
  for (const bad of ['true', 1, {}]) {
    assert.deepEqual(keepTrainingSetting(bad), {
      problem: `resnetLab.keepTrainingWhenEditorCloses must be true or false (got ${JSON.stringify(bad)}); the run will checkpoint and stop when the editor closes`,
    });
  }
});
