// The panel's HTML: a strict CSP, the nonce on the one script, escaped text, fresh nonces.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNonce, webviewHtml } from '../../src/panel/webviewHtml';

const CSP_SOURCE = 'https://*.vscode-cdn.net';
const NONCE = 'abcdef0123456789abcdef0123456789';

function page(overrides: Partial<Parameters<typeof webviewHtml>[0]> = {}): string {
  return webviewHtml({
    cspSource: CSP_SOURCE,
    nonce: NONCE,
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
    styleUris: ['https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css', 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/codicon.css'],
    title: 'ResNet Lab',
    ...overrides,
  });
}

function cspOf(html: string): string {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(match, 'the page has a CSP meta tag');
  return match[1]!;
}

test('the CSP denies everything by default and allows only the webview origin and the nonce', () => {
  const csp = cspOf(page());
  assert.equal(csp, `default-src 'none'; img-src ${CSP_SOURCE} data:; style-src ${CSP_SOURCE}; font-src ${CSP_SOURCE}; script-src 'nonce-${NONCE}';`);
  assert.ok(!csp.includes('unsafe-inline'), 'no inline styles or scripts');
  assert.ok(!csp.includes('unsafe-eval'));
});

test('the CSP meta tag comes before any script or stylesheet', () => {
  const html = page();
  const csp = html.indexOf('Content-Security-Policy');
  assert.ok(csp > 0);
  assert.ok(csp < html.indexOf('<link'));
  assert.ok(csp < html.indexOf('<script'));
});

test('every script tag carries the nonce and loads a file; none is inline', () => {
  const html = page();
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  for (const [, attributes, body] of scripts) {
    assert.match(attributes!, new RegExp(`nonce="${NONCE}"`));
    assert.match(attributes!, /src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\.js"/);
    assert.equal(body!.trim(), '', 'no inline script body');
  }
  assert.ok(!/\son[a-z]+=/i.test(html), 'no inline event handlers');
  assert.ok(!/<style\b/i.test(html), 'no inline style elements');
});

test('stylesheets are linked, and codicon.css under the id vscode-elements looks for', () => {
  const html = page();
  assert.match(html, /<link rel="stylesheet" href="[^"]*\/webview\.css">/);
  assert.match(html, /<link rel="stylesheet" href="[^"]*\/codicon\.css" id="vscode-codicon-stylesheet">/);
  assert.equal(html.match(/id="vscode-codicon-stylesheet"/g)?.length, 1);
});

test('the title and URIs are HTML-escaped', () => {
  const html = page({ title: '<script>alert("x")</script> & co', scriptUri: 'https://x/a.js?"><script>' });
  assert.ok(html.includes('<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</title>'));
  assert.ok(!html.includes('alert("x")'));
  assert.ok(html.includes('src="https://x/a.js?&quot;&gt;&lt;script&gt;"'));
  assert.equal(html.match(/<script/g)?.length, 1);
});

test('nonces are 32 characters, CSP-safe, and unique', () => {
  const nonces = Array.from({ length: 1000 }, () => createNonce());
  for (const nonce of nonces) assert.match(nonce, /^[0-9a-f]{32}$/);
  assert.equal(new Set(nonces).size, nonces.length);
});
