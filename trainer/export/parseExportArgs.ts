// `npm run export` flags → where to read the checkpoint and where to write the SavedModel. Pure,
// so every bad flag has a unit test.
import { parseFlags, UsageError } from '../cli/commandLine';

export const EXPORT_USAGE = `Usage: npm run export -- --checkpoint-dir DIR --out OUT [--json]
       npm run export -- RUN_FOLDER --out OUT [--json]

Writes the trained network in a checkpoint folder (a run's folder) as a TensorFlow SavedModel:
tag "serve", signature "serving_default", input "images" float32 [-1, 28, 28, 1] (pixels 0–1),
output "probabilities" float32 [-1, 10]. Loads with Python's tf.saved_model.load and with
tfjs-node's tf.node.loadSavedModel.

  --checkpoint-dir DIR   the folder holding checkpoint.rlck (as given to npm run train)
  --out OUT              a new or empty folder for the SavedModel
  --json                 print the result as one JSON object
  --help                 this text

Exit codes: 0 exported, 2 bad flags, 3 no usable checkpoint, 4 OUT exists and is not empty or
cannot be written, 1 anything else.`;

export interface ExportOptions {
  checkpointDir: string;
  out: string;
  json: boolean;
}

export function parseExportArgs(argv: string[]): ExportOptions | 'help' {
  const { values, positionals } = parseFlags({
    args: argv, strict: true, allowPositionals: true,
    options: { 'checkpoint-dir': { type: 'string' }, 'out': { type: 'string' }, 'json': { type: 'boolean' }, 'help': { type: 'boolean', short: 'h' } },
  });
  if (values.help) return 'help';
  if (positionals.length > 1) throw new UsageError(`one run folder at most (got ${positionals.length}: ${positionals.join(', ')})`);
  const [runFolder] = positionals;
  if (runFolder !== undefined && values['checkpoint-dir'] !== undefined) throw new UsageError('give either --checkpoint-dir or a run folder, not both');
  const checkpointDir = values['checkpoint-dir'] ?? runFolder;
  if (!checkpointDir) throw new UsageError('--checkpoint-dir (or a run folder) is required');
  if (!values.out) throw new UsageError('--out is required');
  return { checkpointDir, out: values.out, json: values.json === true };
}
