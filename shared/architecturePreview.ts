// What the panel shows of the architecture file open in the editor: its network (the last valid
// version while the file has problems) and the problems, as the host sends it to the webview.
import type { FileProblem } from './architectureFile';
import { architectureReport } from './reportShapes';
import type { ArchitectureReport } from './trainingReports';
import { boolean, exactly, integer, listOf, orNull, shape, text, type Check } from './validation';

export interface ArchitecturePreview {
  /** The file's name as the editor tab shows it, e.g. "wide.resnet.json". */
  file: string;
  /** The file's network with its figures: the last valid version, or null if it never was valid. */
  report: ArchitectureReport | null;
  /** True when report is an earlier version (the text as it is now has problems). */
  stale: boolean;
  problems: Pick<FileProblem, 'line' | 'column' | 'message'>[];
}

/** Problems listed in the panel; the Problems view has them all. */
export const MAX_PREVIEW_PROBLEMS = 50;

export const architecturePreview: Check = shape({
  file: text(1024, 1),
  report: orNull(architectureReport),
  stale: boolean,
  problems: listOf(shape({ line: integer(1, Number.MAX_SAFE_INTEGER), column: integer(1, Number.MAX_SAFE_INTEGER), message: text(4096) }), MAX_PREVIEW_PROBLEMS),
});

/** The host's message: the preview of the architecture file in the editor, or null when none is open. */
export interface ArchitecturePreviewMessage { type: 'architecturePreview'; preview: ArchitecturePreview | null }

export const architecturePreviewMessage: Check = shape({ type: exactly('architecturePreview'), preview: orNull(architecturePreview) });
