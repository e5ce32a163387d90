// Ours inside the extension path: the host's own TrainingSession and TrainerProcess fork
// dist/trainer.js and follow it over IPC with progress events, exactly as the extension does
// (minus the vscode UI). Prints one JSON summary line, like the CLI's --json summary, with the time
// from the command (session.start) to the first progress leaving for the panel: snapshots pass
// through the panel's own pacing (SnapshotThrottle), as they do in the extension.
//   node out/bench/extensionPathRun.js --preset seed --steps 300 --log-every 50 [--inside-views]
// --inside-views: also ask for res2a's feature maps and a drawn digit's prediction as the open
// panel does, at its rate (PANEL_REFRESH_MS), and report how many were answered and their size.
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { parseCliArgs } from '../trainer/cli/parseCliArgs';
import { SnapshotThrottle } from '../src/panel/snapshotThrottle';
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
  let commandAt = 0;
  let firstProgressAt: number | undefined;
  // What the panel would post: a snapshot, at its pace; the first one that carries progress counts.
  const panel = new SnapshotThrottle(() => {
    if (firstProgressAt === undefined && session.snapshot.progress.length > 0) firstProgressAt = performance.now();
  });
  session.onDidChange(() => panel.schedule());
  const insidePanel = insideViews ? new InsidePanelLoad(session) : null;
  // [seconds, step] as each progress report reaches the host, for the benchmark's loop images/s.
  const progressArrivals: [number, number][] = [];
  session.onDidChange((snapshot) => {
    const latest = snapshot.progress[snapshot.progress.length - 1];
    if (latest && latest.step !== progressArrivals[progressArrivals.length - 1]?.[1]) progressArrivals.push([performance.now() / 1000, latest.step]);
  });
  session.onEvent((event) => {
    if (event.type === 'crashed') {
      console.error(event.cause);
      process.exit(1);
    }
    // The bench runs to the end; nothing here stops it.
    if (event.type === 'stopped') return;
    const { summary } = event;
    insidePanel?.stop();
    const windows = session.snapshot.progress.map((p) => p.imagesPerSec);
    process.stdout.write(`${JSON.stringify({
      event: 'summary', impl: 'ours-extension', steps: summary.stepsDone, imagesPerSec: summary.imagesPerSec, windows,
      testAccuracy: summary.test?.accuracy ?? null, wallSec: (performance.now() - commandAt) / 1000, peakRssMb: summary.peakRssMb, backend: summary.backend,
      firstStepEndedAt: summary.firstStepEndedAt ?? null,
      commandToFirstProgressSec: firstProgressAt === undefined ? null : (firstProgressAt - commandAt) / 1000,
      progressArrivals,
      ...(insidePanel ? { insideViews: insidePanel.counts } : {}),
    })}\n`);
    panel.dispose();
    void session.shutdown(10_000).then(() => {
      fs.rmSync(root, { recursive: true, force: true });
      process.exit(0);
    });
  });
  commandAt = performance.now();
  session.start(config);
}

main();
