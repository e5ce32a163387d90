// "Train This Architecture" above an architecture file's first line, so a run starts from the
// file being edited (with the current settings), and "Show Preview" to open the panel beside it.
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';

export class ArchitectureCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: '$(play) Train This Architecture', command: COMMANDS.trainArchitecture, arguments: [document.uri], tooltip: 'Start a run of this network with the current ResNet Lab settings' }),
      new vscode.CodeLens(top, { title: '$(preview) Show Diagram and Shapes', command: COMMANDS.showPanel, tooltip: 'Open the ResNet Lab panel, which previews this file' }),
    ];
  }
}
