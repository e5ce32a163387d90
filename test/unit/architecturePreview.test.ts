// The host → webview message that carries the architecture file's preview: every field checked
// (it is drawn straight into the diagram and table), null meaning no file is open.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { seedResNetArchitecture } from '../../shared/architecture';
import { architecturePreviewMessage, MAX_PREVIEW_PROBLEMS } from '../../shared/architecturePreview';
import { computeModelFigures } from '../../shared/modelFigures';
import { fuzzParameters, garbage, HOST_TO_WEBVIEW_PREVIEW_TYPES, mutated, validArchitecturePreviewMessage } from '../support/messageArbitraries';

const report = { spec: seedResNetArchitecture(), figures: computeModelFigures(seedResNetArchitecture()) };
const preview = { file: 'network.resnet.json', report, stale: true, problems: [{ line: 139, column: 17, message: 'res2b: …' }] };
const check = (message: unknown) => architecturePreviewMessage(message, 'architecturePreview');

test('a preview with its last valid network and problems, one that was never valid, and none at all are accepted', () => {
  assert.equal(check({ type: 'architecturePreview', preview }), null);
  assert.equal(check({ type: 'architecturePreview', preview: { ...preview, report: null } }), null);
  assert.equal(check({ type: 'architecturePreview', preview: null }), null);
});

test('a malformed preview is refused naming the field: a broken report, a bad position, too many problems, a stray field', () => {
  assert.equal(check({ type: 'architecturePreview', preview: { ...preview, report: { ...report, figures: {} } } }), 'architecturePreview.preview.report.figures.blocks is missing');
  assert.equal(check({ type: 'architecturePreview', preview: { ...preview, problems: [{ line: 0, column: 1, message: 'x' }] } }),
    'architecturePreview.preview.problems[0].line must be a whole number from 1 to 9007199254740991 (got 0)');
  const many = Array.from({ length: MAX_PREVIEW_PROBLEMS + 1 }, () => preview.problems[0]);
  assert.equal(check({ type: 'architecturePreview', preview: { ...preview, problems: many } }), `architecturePreview.preview.problems must hold 0 to ${MAX_PREVIEW_PROBLEMS} items (got ${MAX_PREVIEW_PROBLEMS + 1})`);
  assert.equal(check({ type: 'architecturePreview', preview: { ...preview, html: '<b>' } }), 'architecturePreview.preview has an unknown field "html"');
  assert.equal(check({ type: 'architecturePreview' }), 'architecturePreview.preview is missing');
});

test('the webview\'s guard accepts every generated preview message and refuses each with one thing broken, and garbage', () => {
  fc.assert(fc.property(validArchitecturePreviewMessage, (message) => {
    assert.equal(check(JSON.parse(JSON.stringify(message))), null);
  }), fuzzParameters(300));
  fc.assert(fc.property(mutated(validArchitecturePreviewMessage), ({ message, what }) => {
    assert.notEqual(check(message), null, `accepted with ${what}`);
  }), fuzzParameters(1000));
  fc.assert(fc.property(garbage(HOST_TO_WEBVIEW_PREVIEW_TYPES), (raw) => {
    assert.notEqual(check(raw), null);
  }), fuzzParameters(500));
});
