// Runs `dist/export.js --json` in a child process for the Export Model… command: reading a
// 157 MB checkpoint and writing a 52 MB protobuf would stall the extension host for seconds.
// No vscode import, so it is tested against the real export script.
import { fork } from 'node:child_process';
import { parseExportReport, type ExportReport } from '../../shared/modelExport';

/** Stderr lines kept to explain an export that died without a report. */
const STDERR_LINES_KEPT = 3;

/**
 * Exports the checkpoint in `checkpointDir` to the new folder `out`. Resolves with the script's
 * report (exported, or failed with a one-line reason); rejects only when the script ends without
 * a valid report (a crash), with what it said last.
 */
export function runExport(exportScript: string, checkpointDir: string, out: string): Promise<ExportReport> {
  return new Promise((resolve, reject) => {
    const child = fork(exportScript, ['--checkpoint-dir', checkpointDir, '--out', out, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: [],
    });
    let stdout = '';
    const stderr: string[] = [];
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr.push(...chunk.split('\n').filter((line) => line.trim()));
      stderr.splice(0, Math.max(0, stderr.length - STDERR_LINES_KEPT));
    });
    child.on('error', (error) => reject(new Error(`the export could not start: ${error.message}`)));
    // 'close' comes after both pipes are read to the end.
    child.on('close', (code, signal) => {
      const lines = stdout.split('\n').filter((line) => line.trim());
      const report = lines.length === 1 ? parseExportReport(lines[0]!) : null;
      if (report) {
        resolve(report);
        return;
      }
      const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
      reject(new Error(`the export ${how} without a result${stderr.length > 0 ? `: ${stderr.at(-1)}` : ''}`));
    });
  });
}
