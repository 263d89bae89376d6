// How the terminal debugger shows things, in pdb's formats: a stop (`> file(line)func()` and `-> source`),
// the stack for `w`, a source listing for `l` (`B` for a breakpoint, `->` for the current line).
import type { DebugProtocol } from '@vscode/debugprotocol';

/** A frame's exit as its Locals show it first (adapter/toDap.ts names these pseudo-variables). */
export interface FrameExit {
  /** 'Return value', 'Yielded value' or 'Exception'. */
  name: string;
  value: string;
}

const EXIT_HEADERS: Record<string, string> = { 'Return value': '--Return--', 'Yielded value': '--Yield--', Exception: '--Exception--' };

/** The pseudo-variable names that mark a frame's exit. */
export function isExitName(name: string): boolean {
  return Object.hasOwn(EXIT_HEADERS, name);
}

/** `file(line)func()`, with `->value` at a frame's exit, as pdb writes a stack entry. */
export function frameLocation(frame: DebugProtocol.StackFrame, exit?: FrameExit): string {
  const file = frame.source?.path ?? frame.source?.name ?? '<unknown>';
  return `${file}(${frame.line})${frame.name}()${exit ? `->${exit.value}` : ''}`;
}

/** A frame as pdb shows it at a stop or in `w`: the marked location line, then `-> source line` when known. */
export function frameLines(frame: DebugProtocol.StackFrame, marker: '> ' | '  ', source: string | undefined, exit?: FrameExit): string[] {
  const lines = [`${marker}${frameLocation(frame, exit)}`];
  if (source !== undefined) lines.push(`-> ${source.trim()}`);
  return lines;
}

/** The header pdb prints before a frame's exit (`--Return--`), if the stop is one. */
export function exitHeader(exit: FrameExit | undefined): string[] {
  return exit ? [EXIT_HEADERS[exit.name] ?? ''] : [];
}

/** Source lines first..last (1-based, clipped to the file) in pdb's `l` format. */
export function listing(text: readonly string[], first: number, last: number, current: number | undefined, breakpoints: ReadonlySet<number>): string[] {
  const lines: string[] = [];
  for (let line = Math.max(1, first); line <= Math.min(last, text.length); line++) {
    let prefix = String(line).padStart(3);
    if (prefix.length < 4) prefix += ' ';
    prefix += breakpoints.has(line) ? 'B' : ' ';
    if (line === current) prefix += '->';
    lines.push(`${prefix}\t${(text[line - 1] ?? '').trimEnd()}`);
  }
  return lines;
}
