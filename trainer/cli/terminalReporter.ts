// What a person at a terminal sees: the setup, a progress bar with loss, accuracy, images/s and
// ETA, evaluations and activation tables with their diagnosis, and a summary.
import { SingleBar } from 'cli-progress';
import { diagnoseActivations, diagnoseEvaluation } from '../../shared/activationDiagnosis';
import type { ArchitectureSpec } from '../../shared/architecture';
import type { ActivationReport, CheckpointReport, EvaluationReport, ProgressReport, RunSummary } from '../../shared/trainingReports';
import type { TrainingEventSink } from '../train/runEvents';
import { activationTable } from './activationTable';

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

function formatSeconds(sec: number): string {
  if (!Number.isFinite(sec)) return '?';
  const s = Math.round(sec);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export class TerminalReporter implements TrainingEventSink {
  private bar: SingleBar | null = null;

  constructor(private readonly arch: ArchitectureSpec, private readonly interactive: boolean) {}

  /** Prints above the bar without tearing it. */
  private print(text: string): void {
    if (this.bar) {
      this.bar.stop();
      this.bar = null;
    }
    console.log(text);
  }

  progress(p: ProgressReport): void {
    const fields = { loss: p.loss.toFixed(4), acc: pct(p.batchAccuracy), ips: p.imagesPerSec.toFixed(1), eta_text: formatSeconds(p.etaSec) };
    if (!this.interactive) {
      console.log(`step ${p.step}/${p.totalSteps}, training accuracy ${p.batchAccuracy.toFixed(4)}, loss ${fields.loss}, ${fields.ips} images/s, ETA ${fields.eta_text}`);
      return;
    }
    // The bar (re)appears with the first progress after anything printed, already filled in.
    if (!this.bar) {
      this.bar = new SingleBar({
        format: 'step {value}/{total} |{bar}| loss {loss} · batch acc {acc} · {ips} img/s · ETA {eta_text}',
        barsize: 24,
        hideCursor: true,
      });
      this.bar.start(p.totalSteps, p.step, fields);
    } else {
      this.bar.update(p.step, fields);
    }
  }

  evaluation(e: EvaluationReport): void {
    const findings = diagnoseEvaluation(this.arch, e).map((f) => `\n  ⚠ ${f.message}`).join('');
    this.print(`${e.split} accuracy ${pct(e.accuracy)} (loss ${e.loss.toFixed(4)}, ${e.examples} images) at step ${e.step}${findings}`);
  }

  activations(a: ActivationReport): void {
    const findings = diagnoseActivations(this.arch, a).map((f) => `\n  ${f.severity === 'error' ? '✖' : '⚠'} ${f.blockId}: ${f.message}`).join('');
    this.print(`${activationTable(a)}${findings}`);
  }

  checkpointSaved(c: CheckpointReport): void {
    if (!this.interactive) console.log(`checkpoint at step ${c.step}: ${c.path} (${(c.bytes / 1e6).toFixed(0)} MB)`);
  }

  /** `where`: the flags that name this run for --resume. */
  summary(s: RunSummary, where: string): void {
    this.print([
      `\n${s.outcome === 'finished' ? 'Finished' : 'Stopped'} at step ${s.stepsDone}/${s.config.steps} on ${s.backend}: ` +
        `${s.imagesPerSec.toFixed(1)} images/s, ${formatSeconds(s.trainSec)} training, ${formatSeconds(s.wallSec)} wall.`,
      s.finalValidation ? `  validation accuracy ${pct(s.finalValidation.accuracy)}` : '',
      s.test ? `  test accuracy ${pct(s.test.accuracy)} on ${s.test.examples} images` : '',
      s.outcome === 'stopped' ? `  Resume with: npm run train -- --resume ${where}` : '',
    ].filter(Boolean).join('\n'));
  }
}
