// Ours inside the extension path: the host's own TrainingSession and TrainerProcess fork
// dist/trainer.js and follow it over IPC with progress events, exactly as the extension does
// (minus the vscode UI). Prints one JSON summary line, like the CLI's --json summary.
//   node out/bench/extensionPathRun.js --preset seed --steps 300 --log-every 50 [--inside-views]
// --inside-views: also ask for res2a's feature maps and a drawn digit's prediction as the open
// panel does, at its rate (PANEL_REFRESH_MS), and report how many were answered and their size.
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { parseCliArgs } from '../trainer/cli/parseCliArgs';
import { TrainerProcess } from '../src/session/trainerProcess';
import { TrainingSession, type RunRecord } from '../src/session/trainingSession';
import { InsidePanelLoad } from './insidePanelLoad';

function main(): void {
  const insideViews = process.argv.includes('--inside-views');
  const { config } = parseCliArgs(process.argv.slice(2).filter((arg) => arg !== '--inside-views'));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'resnet-lab-extension-path-'));
  let record: RunRecord | undefined;
  const session = new TrainingSession(
    () => new TrainerProcess(path.join(__dirname, '..', '..', 'dist', 'trainer.js')),
    { get: () => record, set: (r) => { record = r; } },
    root,
    { info: () => {}, warn: (m) => console.error(m), error: (m) => console.error(m) },
  );
  const started = performance.now();
  const panel = insideViews ? new InsidePanelLoad(session) : null;
  session.onEvent((event) => {
    if (event.type === 'crashed') {
      console.error(event.message);
      process.exit(1);
    }
    const { summary } = event;
    panel?.stop();
    const windows = session.snapshot.progress.map((p) => p.imagesPerSec);
    process.stdout.write(`${JSON.stringify({
      event: 'summary', impl: 'ours-extension', steps: summary.stepsDone, imagesPerSec: summary.imagesPerSec, windows,
      testAccuracy: summary.test?.accuracy ?? null, wallSec: (performance.now() - started) / 1000, peakRssMb: summary.peakRssMb, backend: summary.backend,
      ...(panel ? { insideViews: panel.counts } : {}),
    })}\n`);
    void session.shutdown(10_000).then(() => {
      fs.rmSync(root, { recursive: true, force: true });
      process.exit(0);
    });
  });
  session.start(config);
}

main();
