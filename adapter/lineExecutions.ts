// Every execution of a source line in the trace (for gotoTargets): its LINE events in order, the
// first LINE_EXECUTION_LIMIT of them, and how many there are in all. DAP-free; toDap.ts labels them.
import * as path from 'node:path';
import type { Trace, TraceEvent } from '../protocol/reader';
import { EventKind, type Line } from '../protocol/schema';

/**
 * DAP's gotoTargets has no paging and clients show the answer as one menu: a line that ran more
 * often lists its first executions only, and says how many it left out (see gotoTargetsToDap).
 */
export const LINE_EXECUTION_LIMIT = 1000;

export interface LineExecutions {
  line: Line;
  /** The first executions, in seq order (at most LINE_EXECUTION_LIMIT). */
  events: TraceEvent[];
  /** How many times the line ran in the whole trace. */
  total: number;
}

/** The executions of `line` in `sourcePath`; throws a sentence when the file or the line never ran. */
export function lineExecutions(trace: Trace, sourcePath: string | undefined, line: Line): LineExecutions {
  const file = sourcePath ? trace.fileByPath(path.resolve(sourcePath)) : undefined;
  if (!file) throw new Error(`${sourcePath || 'this source'} was not recorded in this trace`); // '' names nothing
  const match = { location: { file: file.id, line }, kinds: [EventKind.Line] };
  const total = trace.countUpTo(trace.lastSeq(), match);
  if (total === 0) throw new Error(`line ${line} of ${path.basename(file.path)} never ran in this recording`);
  return { line, events: trace.matching(match, { offset: 0, limit: LINE_EXECUTION_LIMIT }), total };
}
