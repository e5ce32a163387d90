// The architecture file (`*.resnet.json`): an ArchitectureSpec as JSON text. Parsing keeps every
// value's range, so each problem — a JSON syntax error or any of architectureCheck.ts's — points
// at the exact characters to change, in the editor (a diagnostic) and on the CLI (FILE:LINE:COL).
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { ArchitectureSpec } from './architecture';
import { checkArchitecture, type ArchitectureProblem } from './architectureCheck';

export const ARCHITECTURE_FILE_SUFFIX = '.resnet.json';

export interface FileProblem {
  message: string;
  /** Character offset and length in the text. */
  offset: number;
  length: number;
  /** 1-based, as compilers print them. */
  line: number;
  column: number;
}

export type ArchitectureFileResult = { ok: true; spec: ArchitectureSpec } | { ok: false; problems: FileProblem[] };

/** The file a spec is written as: two-space JSON and a final newline, as VS Code formats JSON. */
export function architectureFileText(spec: ArchitectureSpec): string {
  return `${JSON.stringify(spec, null, 2)}\n`;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function at(text: string, offset: number, length: number, message: string): FileProblem {
  return { message, offset, length, ...lineAndColumn(text, offset) };
}

/**
 * The range of a path: the value there, or for a key the property's value. A path that goes
 * past what exists (a missing field) lands on the deepest node that does exist.
 */
function nodeAt(root: Node, path: ArchitectureProblem['path']): Node {
  for (let depth = path.length; depth > 0; depth--) {
    const node = findNodeAtLocation(root, path.slice(0, depth));
    if (node) return node;
  }
  return root;
}

/** The property key's range for an object (a whole object squiggled hides everything else). */
function squiggleRange(node: Node): { offset: number; length: number } {
  if (node.type === 'object' || node.type === 'array') {
    const property = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    if (property) return { offset: property.offset, length: property.length };
    return { offset: node.offset, length: 1 };
  }
  return { offset: node.offset, length: node.length };
}

/** Parses and checks an architecture file's text: the spec, or every problem with its range. */
export function parseArchitectureFile(text: string): ArchitectureFileResult {
  if (text.trim() === '') return { ok: false, problems: [at(text, 0, 1, 'the file is empty: it must hold one JSON object describing the network')] };
  const errors: ParseError[] = [];
  // Plain JSON as written by JSON.stringify: no comments, no trailing commas (both are errors).
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0 || !root) {
    // One problem per place: a missing value at the end of a torn file also leaves every brace open.
    const first = errors.filter((e, i) => errors.findIndex((other) => other.offset === e.offset) === i);
    const problems = first.map((e) => at(text, e.offset, Math.max(e.length, 1), `invalid JSON: ${describeParseError(printParseErrorCode(e.error))}`));
    return { ok: false, problems };
  }
  const checked = checkArchitecture(JSON.parse(text) as unknown);
  if (checked.ok) return checked;
  return {
    ok: false,
    problems: checked.problems.map((p) => {
      const range = squiggleRange(nodeAt(root, p.path));
      return at(text, range.offset, range.length, p.message);
    }),
  };
}

/** jsonc-parser's error codes ("CommaExpected") as words ("a comma is expected"). */
function describeParseError(code: string): string {
  const words = code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.endsWith(' expected') ? `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words.replace(/ expected$/, '')} is expected here` : words;
}

/** Problems as compilers print them, one per line: "FILE:LINE:COL: message". */
export function formatFileProblems(file: string, problems: readonly FileProblem[]): string {
  return problems.map((p) => `${file}:${p.line}:${p.column}: ${p.message}`).join('\n');
}
