// "ResNet Lab: Install GPU Support": runs the same provisioning as `npm run setup -- --gpu`
// (scripts/provision-tensorflow-gpu.mjs) with a cancellable progress notification, the full
// output in the log, and one line at the end saying what happened.
import { fork } from 'node:child_process';
import * as vscode from 'vscode';
import { failureMessage, LineSplitter, progressMessage } from './provisionOutput';

export async function installGpuSupport(extensionUri: vscode.Uri, log: vscode.LogOutputChannel): Promise<void> {
  const script = vscode.Uri.joinPath(extensionUri, 'scripts', 'provision-tensorflow-gpu.mjs').fsPath;
  let failure: string | null = null;
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'ResNet Lab: installing GPU support', cancellable: true },
    (progress, token) => new Promise<'done' | 'failed' | 'cancelled'>((resolve) => {
      log.info(`installing GPU support: ${script}`);
      // Its own process group, so Cancel also ends the pip and g++ processes it runs.
      const child = fork(script, [], { cwd: extensionUri.fsPath, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], detached: true, execArgv: [] });
      const read = (stream: NodeJS.ReadableStream | null) => {
        const lines = new LineSplitter();
        const handle = (line: string) => {
          if (!line.trim()) return;
          log.info(`provision: ${line}`);
          const step = progressMessage(line);
          if (step) progress.report({ message: step });
          failure = failureMessage(line) ?? failure;
        };
        stream?.setEncoding('utf8');
        stream?.on('data', (chunk: string) => lines.push(chunk).forEach(handle));
        stream?.on('end', () => lines.end().forEach(handle));
      };
      read(child.stdout);
      read(child.stderr);
      let cancelled = false;
      token.onCancellationRequested(() => {
        cancelled = true;
        log.warn('installing GPU support: cancelled');
        if (child.pid !== undefined) {
          try {
            process.kill(-child.pid, 'SIGTERM');
          } catch {
            // Already gone.
          }
        }
      });
      child.on('error', (error) => {
        failure = `could not run the provisioning script (${error.message})`;
        resolve('failed');
      });
      child.on('close', (code) => resolve(cancelled ? 'cancelled' : code === 0 ? 'done' : 'failed'));
    }),
  );
  if (outcome === 'done') {
    const choice = await vscode.window.showInformationMessage('ResNet Lab: GPU support is installed. Train on the GPU from now on?', 'Use tensorflow-gpu');
    if (choice === 'Use tensorflow-gpu') {
      await vscode.workspace.getConfiguration('resnetLab').update('backend', 'tensorflow-gpu', vscode.ConfigurationTarget.Global);
      void vscode.window.showInformationMessage('ResNet Lab: the backend is now tensorflow-gpu (setting resnetLab.backend).');
    }
  } else if (outcome === 'cancelled') {
    void vscode.window.showInformationMessage('ResNet Lab: GPU support was not installed (cancelled); nothing was left half-made.');
  } else {
    const choice = await vscode.window.showErrorMessage(`ResNet Lab: installing GPU support failed: ${failure ?? 'see the log'}`, 'Show Log');
    if (choice === 'Show Log') log.show();
  }
}
