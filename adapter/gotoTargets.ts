// gotoTargets: every execution of a source line in the trace, each a DAP goto target labelled with its
// index and position ("#3 of 10 · event 1234"). A target's id is the seq of that execution's LINE event.
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Trace } from '../protocol/reader';
import { EventKind } from '../protocol/schema';

/**
 * DAP's gotoTargets has no paging, and clients show the answer as one menu: a line that ran more often
 * lists its first executions only, and the last label says how many were left out and how to reach them.
 */
export const GOTO_TARGET_LIMIT = 1000;

/** The executions of `line` in `sourcePath`; throws a sentence when the file or the line never ran. */
export function gotoTargets(trace: Trace, sourcePath: string | undefined, line: number): DebugProtocol.GotoTarget[] {
  const file = sourcePath ? trace.fileByPath(path.resolve(sourcePath)) : undefined;
  if (!file) throw new Error(`${sourcePath ?? 'this source'} was not recorded in this trace`);
  const match = { location: { file: file.id, line }, kinds: [EventKind.Line] };
  const total = trace.countUpTo(trace.lastSeq(), match);
  if (total === 0) throw new Error(`line ${line} of ${path.basename(file.path)} never ran in this recording`);
  const events = trace.matching(match, { offset: 0, limit: GOTO_TARGET_LIMIT });
  return events.map((event, index) => {
    const left = index === events.length - 1 ? total - events.length : 0;
    const note = left > 0 ? ` (${left} later executions not listed: use a hit-count breakpoint or :goto N)` : '';
    return { id: event.seq, label: `#${index + 1} of ${total} · event ${event.seq}${note}`, line };
  });
}
