// The REPL's `:history NAME [FIRST]`: every recorded change of a variable of the current frame (or of
// its module's globals), with the line that made it and the value, a page at a time.
import type { Trace } from '../protocol/reader';
import type { FramePosition } from '../protocol/frameId';
import { render } from '../protocol/values';

/** Changes shown per page; the header always says the total. */
export const HISTORY_PAGE = 20;
/** A value's text is cut here (marked with …) so one change stays one line. */
const VALUE_WIDTH = 200;

/** The text of `:history` for a frame (its invocation at seq); throws an Error with a sentence for bad input. */
export function historyText(trace: Trace, frame: FramePosition, args: string[]): string {
  const [name, firstText] = args;
  if (!name || args.length > 2 || !/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name)) throw new Error('usage: :history NAME [FIRST], e.g. :history total (FIRST pages through a long history)');
  const first = firstText === undefined ? 1 : Number(firstText);
  if (!Number.isInteger(first) || first < 1) throw new Error('FIRST must be a change number from 1');
  const history = trace.variableHistory(frame.invocation, frame.seq, name, { offset: first - 1, limit: HISTORY_PAGE });
  const code = trace.code(trace.invocation(frame.invocation)?.code ?? -1);
  if (!history) throw new Error(`'${name}' has no recorded value in ${code?.qualname ?? 'this frame'} (this invocation) or its module's globals`);
  const { total: size, changes } = history;
  if (first > size) throw new Error(`FIRST must be a change number from 1 to ${size}`);
  const where = history.scope === 'local' ? code?.qualname : `the globals of ${trace.code(history.code)?.qualname ?? 'the module'}`;
  const last = first + changes.length - 1;
  const shown = size > changes.length ? `, showing ${first}–${last}` : '';
  const lines = [`${name} in ${where}: ${size} ${size === 1 ? 'change' : 'changes'}${shown}`];
  changes.forEach((change, i) => {
    const text = render(change.value);
    const value = text.length > VALUE_WIDTH ? `${text.slice(0, VALUE_WIDTH)}…` : text;
    const later = change.seq > frame.seq ? ' (later)' : '';
    lines.push(`  ${first + i}. line ${change.line}, event ${change.seq}${later}: ${value}`);
  });
  if (last < size) lines.push(`  … ${size - last} more: :history ${name} ${last + 1}`);
  return lines.join('\n');
}
