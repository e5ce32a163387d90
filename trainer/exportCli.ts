// `npm run export`: a checkpoint's trained network → a TensorFlow SavedModel, from a terminal
// (a headless run, on the machine that trained it) or forked by the extension's Export Model…
// command with --json. Needs no TensorFlow: the graph is written with protobuf classes alone.
import { checkpointFolderOf } from '../runStore/runWriter';
import type { ExportFailedReport, ExportedReport, ExportProblem } from '../shared/modelExport';
import { runCommandLine } from './cli/commandLine';
import { ExportError, exportSavedModel } from './export/exportSavedModel';
import { EXPORT_USAGE, parseExportArgs, type ExportOptions } from './export/parseExportArgs';

const EXIT_CODES: Record<ExportProblem, number> = { checkpoint: 3, output: 4 };

function exportModel(options: ExportOptions): number {
  try {
    const result = exportSavedModel(checkpointFolderOf(options.checkpointDir), options.out);
    if (options.json) {
      const report: ExportedReport = { event: 'exported', ...result };
      console.log(JSON.stringify(report));
    } else {
      if (result.warning) console.log(`⚠ ${result.warning}`);
      console.log(`Exported step ${result.step} (${result.parameterCount.toLocaleString('en-US')} parameters) from ${result.checkpoint}`);
      console.log(`to ${result.out}: saved_model.pb ${(result.bytes / 1e6).toFixed(1)} MB, tag "serve", signature "serving_default" (images → probabilities).`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof ExportError)) throw error;
    if (options.json) {
      const report: ExportFailedReport = { event: 'failed', problem: error.problem, message: error.message };
      console.log(JSON.stringify(report));
    }
    console.error(`error: ${error.message}`);
    return EXIT_CODES[error.problem];
  }
}

runCommandLine({ usage: EXPORT_USAGE, parse: parseExportArgs, run: exportModel });
