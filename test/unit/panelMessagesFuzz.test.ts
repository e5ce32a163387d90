// Fuzzes the host's side of the webview edge: generated messages go into the panel's real
// message handler (with its real guard). A refused message causes nothing (no snapshot, no
// post, no trainer request, no command) and refusals are logged rate-limited; each generated
// valid message causes exactly its one action.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { REJECTIONS_LOGGED_IN_FULL } from '../../shared/rejectionLog';
import type { ErrorGallery } from '../../shared/errorGallery';
import type { TrainingConfig } from '../../shared/trainingConfig';
import type { BlockDetails } from '../../shared/trainingReports';
import type { HostToWebviewMessage, PanelCommand } from '../../shared/webviewProtocol';
import { PanelMessageHandler } from '../../src/panel/panelMessages';
import { fuzzParameters, garbage, mutated, validWebviewToHost, WEBVIEW_TO_HOST_TYPES } from '../support/messageArbitraries';

function recordingPanel() {
  const actions: string[] = [];
  const warnings: string[] = [];
  const posted: HostToWebviewMessage[] = [];
  const handler = new PanelMessageHandler({
    sendSnapshot: () => actions.push('snapshot'),
    post: (message) => posted.push(message),
    describeBlock: (blockId): Promise<BlockDetails> => {
      actions.push(`describe ${blockId}`);
      return blockId === 'missing' ? Promise.reject(new Error('no such block')) : Promise.resolve({ blockId, step: 3, weights: [], activations: [] });
    },
    gallery: (query): Promise<ErrorGallery> => {
      actions.push(`gallery ${query.split} ${query.step}`);
      return Promise.reject(new Error('no trainer'));
    },
    insideViews: {
      featureMaps: (blockId, probe) => {
        actions.push(`featureMaps ${blockId} ${probe.kind}`);
        return Promise.reject(new Error('no model'));
      },
      predict: () => {
        actions.push('predict');
        return Promise.reject(new Error('no model'));
      },
      probeDigits: () => {
        actions.push('probeDigits');
        return Promise.reject(new Error('no model'));
      },
    },
    runCommand: (command: PanelCommand) => {
      actions.push(`command ${command}`);
      return Promise.resolve();
    },
    startRun: (config: TrainingConfig) => {
      actions.push(`start ${JSON.stringify(config)}`);
      return Promise.resolve();
    },
    openSettings: () => {
      actions.push('settings');
      return Promise.resolve();
    },
    closeComparison: () => actions.push('close comparison'),
    warn: (line) => warnings.push(line),
  });
  return { handler, actions, warnings, posted };
}

test('20,000 malformed panel messages cause nothing and are logged rate-limited', async () => {
  const { handler, actions, warnings, posted } = recordingPanel();
  let delivered = 0;
  await fc.assert(fc.asyncProperty(fc.oneof(mutated(validWebviewToHost).map((m) => m.message as unknown), garbage(WEBVIEW_TO_HOST_TYPES)), async (raw) => {
    await handler.receive(raw);
    delivered += 1;
    assert.deepEqual(actions, []);
    assert.deepEqual(posted, []);
  }), fuzzParameters(20_000));
  // 5 in full, then totals at 10, 100, 1,000 and 10,000.
  assert.equal(delivered, 20_000);
  assert.equal(warnings.length, REJECTIONS_LOGGED_IN_FULL + 4, warnings.join('\n'));
  assert.match(warnings[warnings.length - 1]!, /^dropped 10000 malformed messages from the panel so far; the latest: /);
  handler.dispose();
  assert.match(warnings[warnings.length - 1]!, /^dropped 20000 malformed messages from the panel in all; the latest: /);
});

test('2,000 generated valid panel messages each cause exactly their one action and no warning', async () => {
  await fc.assert(fc.asyncProperty(validWebviewToHost, async (message) => {
    const { handler, actions, warnings, posted } = recordingPanel();
    await handler.receive(JSON.parse(JSON.stringify(message)));
    assert.deepEqual(warnings, []);
    if (message.type === 'ready') assert.deepEqual(actions, ['snapshot']);
    if (message.type === 'runCommand') assert.deepEqual(actions, [`command ${(message as { command: string }).command}`]);
    if (message.type === 'selectBlock') {
      const blockId = (message as { blockId: string }).blockId;
      assert.deepEqual(actions, [`describe ${blockId}`]);
      assert.deepEqual(posted, [{ type: 'blockDetails', details: { blockId, step: 3, weights: [], activations: [] } }]);
    }
    if (message.type === 'openSettings') assert.deepEqual(actions, ['settings']);
    if (message.type === 'closeComparison') assert.deepEqual(actions, ['close comparison']);
    if (message.type === 'startRun') assert.deepEqual(actions, [`start ${JSON.stringify((message as { config: unknown }).config)}`]);
    if (message.type === 'requestGallery') {
      const { requestId, query } = message as { requestId: number; query: { split: string; step: number } };
      assert.deepEqual(actions, [`gallery ${query.split} ${query.step}`]);
      assert.deepEqual(posted, [{ type: 'galleryUnavailable', requestId, reason: 'no trainer' }]);
    }
    if (message.type === 'requestFeatureMaps') {
      const { blockId, probe } = message as { blockId: string; probe: { kind: string } };
      assert.deepEqual(actions, [`featureMaps ${blockId} ${probe.kind}`]);
      assert.deepEqual(posted, [{ type: 'insideUnavailable', kind: 'featureMaps', reason: 'no model' }]);
    }
    if (message.type === 'predictDigit') {
      assert.deepEqual(actions, ['predict']);
      assert.deepEqual(posted, [{ type: 'insideUnavailable', kind: 'prediction', reason: 'no model' }]);
    }
    if (message.type === 'requestProbeDigits') {
      assert.deepEqual(actions, ['probeDigits']);
      assert.deepEqual(posted, [{ type: 'insideUnavailable', kind: 'probeDigits', reason: 'no model' }]);
    }
  }), fuzzParameters(2000));
});

test('a block the trainer cannot describe is answered as unavailable, with the reason', async () => {
  const { handler, posted, warnings } = recordingPanel();
  await handler.receive({ type: 'selectBlock', blockId: 'missing' });
  assert.deepEqual(posted, [{ type: 'blockDetailsUnavailable', blockId: 'missing', reason: 'no such block' }]);
  assert.deepEqual(warnings, []);
});
