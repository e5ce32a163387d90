// An architecture file from disk, for the terminal tools (the CLI, the graph profiler): the
// checked network, or its problems as FILE:LINE:COL lines (one for a file that cannot be read).
import * as fs from 'node:fs';
import type { ArchitectureSpec } from '../shared/architecture';
import { formatFileProblems, parseArchitectureFile } from '../shared/architectureFile';
import { errorMessage } from '../shared/errorMessage';

export function readArchitectureFile(file: string): { ok: true; spec: ArchitectureSpec } | { ok: false; problems: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, problems: `${file}:1:1: cannot read the architecture file (${errorMessage(error)})` };
  }
  const parsed = parseArchitectureFile(text);
  return parsed.ok ? parsed : { ok: false, problems: formatFileProblems(file, parsed.problems) };
}
