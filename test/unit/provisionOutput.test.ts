// The palette command's reading of the GPU provisioning script's output: its progress lines
// become the notification's message, its one-line failure the error shown; the rest only the log.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failureMessage, LineSplitter, progressMessage } from '../../src/provisionOutput';

test('progress lines of the script become notification messages; pip, g++ and failures do not', () => {
  assert.equal(progressMessage('[provision-tensorflow-gpu +54.8s] unpacking tensorflow-2.20.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl'),
    'unpacking tensorflow-2.20.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl');
  assert.equal(progressMessage('  Downloading nvidia_cudnn_cu12-9.3.0.75-py3-none-manylinux2014_x86_64.whl (577.2 MB)'), null);
  assert.equal(progressMessage('  CXX(target) Release/obj.target/tfjs_binding/binding/tfjs_backend.o'), null);
  assert.equal(progressMessage('[provision-tensorflow-gpu] Building the tfjs-node binding failed (exit code 1).'), null);
  assert.equal(progressMessage('[provision-tensorflow +1.0s] the CPU script'), null);
});

test('the script\'s failure line becomes the error message', () => {
  assert.equal(failureMessage('[provision-tensorflow-gpu] Building the tfjs-node binding failed (exit code 1). It needs g++, make and Python 3 (for gyp).'),
    'Building the tfjs-node binding failed (exit code 1). It needs g++, make and Python 3 (for gyp).');
  assert.equal(failureMessage('[provision-tensorflow-gpu +3.0s] compiling'), null);
  assert.equal(failureMessage('ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE.'), null);
});

test('chunks split mid-line are put back together; a last line without a newline still counts', () => {
  const lines = new LineSplitter();
  assert.deepEqual(lines.push('[provision-tensorflow-gpu +1.0s] downl'), []);
  assert.deepEqual(lines.push('oading\npip says hi\n[provision'), ['[provision-tensorflow-gpu +1.0s] downloading', 'pip says hi']);
  assert.deepEqual(lines.push('-tensorflow-gpu] failed'), []);
  assert.deepEqual(lines.end(), ['[provision-tensorflow-gpu] failed']);
  assert.deepEqual(lines.end(), []);
});
