// Which recorded code objects enclose a line of the recorded source. The trace knows where a function
// starts (code.firstLine) but not where it ends, so the end is read from the source as Python does:
// the body is every line indented deeper than its `def`/`class` line, up to the next line that is not.
import type { Code } from '../protocol/reader';
import { splitLines } from '../protocol/sourceText';

/** The codes whose lines include `line` (recorded, 1-based), innermost first; the module encloses every line. */
export function enclosingCodes(source: string, codes: readonly Code[], line: number): Code[] {
  const lines = splitLines(source);
  return codes
    .filter((code) => code.kind === 'module' || (code.firstLine <= line && line <= lastLine(lines, code)))
    .sort((a, b) => (a.kind === 'module' ? 1 : 0) - (b.kind === 'module' ? 1 : 0) || b.firstLine - a.firstLine);
}

/** The last line of a function or class body; a lambda or comprehension (`<lambda>`, `<listcomp>`) is its first line only. */
function lastLine(lines: string[], code: Code): number {
  if (code.name.startsWith('<')) return code.firstLine;
  // firstLine is the first decorator of a decorated definition: the header is the first line after them.
  let header = code.firstLine - 1;
  while (header < lines.length && /^\s*@/.test(lines[header] ?? '')) header++;
  const indent = indentOf(lines[header] ?? '');
  let last = header + 1;
  for (let index = header + 1; index < lines.length; index++) {
    const text = lines[index] ?? '';
    if (/^\s*(#.*)?$/.test(text)) continue;
    // A closing bracket at the header's indentation ends a multi-line header, not the body.
    if (indentOf(text) <= indent && !/^\s*[)\]}]/.test(text)) break;
    last = index + 1;
  }
  return last;
}

function indentOf(text: string): number {
  return /^[ \t]*/.exec(text)?.[0].length ?? 0;
}
