// The panel's HTML document. The CSP allows only what the page needs: scripts carrying this
// load's nonce, and stylesheets, fonts and images from the extension's own webview origin. No
// 'unsafe-inline': the web components style themselves through constructable stylesheets and
// uPlot through CSSOM properties, neither of which style-src governs.
import { randomBytes } from 'node:crypto';

export interface WebviewHtmlOptions {
  /** webview.cspSource: the origin asWebviewUri URIs are served from. */
  cspSource: string;
  /** Fresh per load, from createNonce(). */
  nonce: string;
  /** asWebviewUri of dist/webview.js. */
  scriptUri: string;
  /** asWebviewUri of dist/webview.css and dist/codicon.css (the latter is linked by id for vscode-icon). */
  styleUris: string[];
  title: string;
}

/** vscode-elements' icons look for the codicon stylesheet under this id to reuse it in their shadow roots. */
const CODICON_STYLESHEET_ID = 'vscode-codicon-stylesheet';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Escapes text for HTML text and double-quoted attribute values (every attribute here is
 *  double-quoted, so single quotes stay as they are and the CSP reads as written). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ESCAPES[c]!);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ') + ';';
}

function isCodiconStylesheet(uri: string): boolean {
  return /\/codicon\.css$/.test(uri.split(/[?#]/)[0]!);
}

export function webviewHtml(options: WebviewHtmlOptions): string {
  const { cspSource, nonce, scriptUri, styleUris, title } = options;
  const links = styleUris.map((uri) =>
    `<link rel="stylesheet" href="${escapeHtml(uri)}"${isCodiconStylesheet(uri) ? ` id="${CODICON_STYLESHEET_ID}"` : ''}>`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${links.join('\n')}
<title>${escapeHtml(title)}</title>
</head>
<body>
<script nonce="${escapeHtml(nonce)}" src="${escapeHtml(scriptUri)}"></script>
</body>
</html>
`;
}

/** 32 hex characters (128 random bits): a fresh CSP nonce for each load of the page. */
export function createNonce(): string {
  return randomBytes(16).toString('hex');
}
