// Ours inside the extension path: the host's own TrainingSession starts the run as the extension
// does (windowTrainers: a detached dist/trainer.js that records its run folder in a runs root and
// is followed over its socket), minus the vscode UI. Prints one JSON summary line, like the CLI's
// --json summary, with the time from the command (session.start) to the first progress leaving for
// the panel: snapshots pass through the panel's own pacing (SnapshotThrottle), as they do in the
// extension.
//   node out/bench/extensionPathRun.js --preset seed --steps 300 --log-every 50 [--inside-views]
// --inside-views: also ask for res2a's feature maps and a drawn digit's prediction as the open
// panel does, at its rate (PANEL_REFRESH_MS), and report how many were answered and their size.
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive, lockState } from '../runStore/runLock';
import { parseCliArgs } from '../trainer/cli/parseCliArgs';
import { SnapshotThrottle } from '../src/panel/snapshotThrottle';
import { DetachedTrainer } from '../src/session/detachedTrainer';
import { TrainingSession, type RunRecord } from '../src/session/trainingSession';
import { windowTrainers } from '../src/session/windowTrainers';
import { InsidePanelLoad } from './insidePanelLoad';

/** Once the run is over and this "window" has left, its trainer waits this long for another before it ends. */
const GRACE_AFTER_RUN_MS = 500;

/** The run's trainer, named by the run's lock while it trains (it releases the lock when the run ends). */
function trainerPid(runDir: string): number | null {
  const lock = lockState(runDir);
  return lock.kind === 'held' ? lock.owner.pid : null;
}

/** Resolves once the detached trainer `pid` has exited, so the next benchmark run has the machine to itself. */
async function trainerGone(pid: number | null): Promise<void> {
  while (pid !== null && isProcessAlive(pid)) await sleep(50);
}

function main(): void {
  const insideViews = process.argv.includes('--inside-views');
  const { config } = parseCliArgs(process.argv.slice(2).filter((arg) => arg !== '--inside-views'));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'resnet-lab-extension-path-'));
  let record: RunRecord | undefined;
  const session = new TrainingSession(
    windowTrainers(path.join(__dirname, '..', '..', 'dist', 'trainer.js')),
    { get: () => record, set: (r) => { record = r; } },
    root,
    { info: () => {}, warn: (m) => console.error(m), error: (m) => console.error(m) },
    Date.now,
    { windowId: 'bench-window', graceMs: GRACE_AFTER_RUN_MS, keepTraining: () => false, attach: (runDir, pid) => DetachedTrainer.attach(runDir, pid) },
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
  let pid: number | null = null;
  session.onDidChange((snapshot) => {
    if (pid === null && record?.runId !== undefined && snapshot.progress.length > 0) pid = trainerPid(path.join(root, record.runId));
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
    void session.shutdown(10_000).then(() => trainerGone(pid)).then(() => {
      fs.rmSync(root, { recursive: true, force: true });
      process.exit(0);
    });
  });
  commandAt = performance.now();
  session.start(config);
}

main();
