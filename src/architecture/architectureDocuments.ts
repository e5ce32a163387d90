// The architecture files open in the editor: each is checked as the user types, its problems
// published as diagnostics (squiggles and the Problems view), and the one the user last worked
// in becomes the panel's preview, keeping its last valid network while the text has problems.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ARCHITECTURE_FILE_SUFFIX, parseArchitectureFile } from '../../shared/architectureFile';
import { MAX_PREVIEW_PROBLEMS, type ArchitecturePreview } from '../../shared/architecturePreview';
import { computeModelFigures } from '../../shared/modelFigures';
import type { ArchitectureReport } from '../../shared/trainingReports';

export const ARCHITECTURE_DIAGNOSTIC_SOURCE = 'ResNet Lab';

export function isArchitectureDocument(document: vscode.TextDocument): boolean {
  return document.uri.path.endsWith(ARCHITECTURE_FILE_SUFFIX);
}

export class ArchitectureDocuments implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('resnetLab.architecture');
  /** The last valid network of each open file, by URI: what a broken file's preview keeps showing. */
  private readonly lastValid = new Map<string, ArchitectureReport>();
  private previewUri: string | null = null;
  private previewState: ArchitecturePreview | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly disposables: vscode.Disposable[] = [this.diagnostics];

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((document) => this.check(document, false)),
      vscode.workspace.onDidChangeTextDocument((event) => this.check(event.document, true)),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document)),
      vscode.window.onDidChangeActiveTextEditor((editor) => { if (editor) this.check(editor.document, true); }),
    );
    for (const document of vscode.workspace.textDocuments) this.check(document, false);
    const active = vscode.window.activeTextEditor?.document;
    if (active) this.check(active, true);
  }

  /** The preview of the architecture file last edited or focused, while it is open. */
  get preview(): ArchitecturePreview | null {
    return this.previewState;
  }

  onDidChangePreview(listener: () => void): vscode.Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Checks a file's text now: its diagnostics, and the preview if `focus` or it is the previewed file. */
  check(document: vscode.TextDocument, focus: boolean): void {
    if (!isArchitectureDocument(document)) return;
    const key = document.uri.toString();
    const text = document.getText();
    const result = parseArchitectureFile(text);
    const problems = result.ok ? [] : result.problems;
    this.diagnostics.set(document.uri, problems.map((p) => {
      const range = new vscode.Range(document.positionAt(p.offset), document.positionAt(p.offset + p.length));
      const diagnostic = new vscode.Diagnostic(range, p.message, vscode.DiagnosticSeverity.Error);
      diagnostic.source = ARCHITECTURE_DIAGNOSTIC_SOURCE;
      return diagnostic;
    }));
    if (result.ok) this.lastValid.set(key, { spec: result.spec, figures: computeModelFigures(result.spec) });
    if (!focus && this.previewUri !== key) return;
    this.previewUri = key;
    this.previewState = {
      file: path.basename(document.uri.path),
      report: this.lastValid.get(key) ?? null,
      stale: !result.ok,
      problems: problems.slice(0, MAX_PREVIEW_PROBLEMS).map(({ line, column, message }) => ({ line, column, message })),
    };
    for (const listener of this.listeners) listener();
  }

  private forget(document: vscode.TextDocument): void {
    if (!isArchitectureDocument(document)) return;
    const key = document.uri.toString();
    this.diagnostics.delete(document.uri);
    this.lastValid.delete(key);
    if (this.previewUri !== key) return;
    this.previewUri = null;
    this.previewState = null;
    for (const listener of this.listeners) listener();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.listeners.clear();
  }
}
