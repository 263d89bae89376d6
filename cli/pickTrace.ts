// Which trace a reading command works on: the path given, or with --last (also the default) the
// newest trace in .hindsight/; opened with protocol/reader's Trace, read, and closed.
import { Trace } from '../protocol/reader';
import { defaultTraceDir, displayPath, listTraces } from '../protocol/traceDir';
import { NotFoundError, TraceReadError, UsageError } from './errors';

/** Runs `read` on the picked trace; whatever else than a UsageError or NotFoundError it throws becomes a TraceReadError. */
export async function readPickedTrace<T>(given: string | undefined, last: boolean, command: string, read: (trace: Trace) => T): Promise<T> {
  if (given !== undefined && last) throw new UsageError(`${command}: give a trace or --last, not both`);
  const trace = await Trace.open(given ?? lastTrace(defaultTraceDir()));
  try {
    return read(trace);
  } catch (error) {
    if (error instanceof UsageError || error instanceof NotFoundError) throw error;
    throw new TraceReadError(trace.path, error);
  } finally {
    trace.close();
  }
}

/** The newest trace in dir (for --last). */
export function lastTrace(dir: string): string {
  const newest = listTraces(dir)[0];
  if (!newest) throw new NotFoundError(`no traces in ${displayPath(dir)} (record one with 'hindsight record prog.py')`);
  return newest.path;
}
