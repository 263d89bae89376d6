// Which trace a reading command works on: the path given, or with --last (also the default) the
// newest trace in .hindsight/; opened with protocol/reader's Trace.
import { Trace } from '../protocol/reader';
import { defaultTraceDir, displayPath, listTraces } from '../protocol/traceDir';
import { NotFoundError, UsageError } from './errors';

export async function openPickedTrace(given: string | undefined, last: boolean, command: string): Promise<Trace> {
  if (given !== undefined && last) throw new UsageError(`${command}: give a trace or --last, not both`);
  return Trace.open(given ?? lastTrace(defaultTraceDir()));
}

/** The newest trace in dir (for --last). */
export function lastTrace(dir: string): string {
  const newest = listTraces(dir)[0];
  if (!newest) throw new NotFoundError(`no traces in ${displayPath(dir)} (record one with 'hindsight record prog.py')`);
  return newest.path;
}
