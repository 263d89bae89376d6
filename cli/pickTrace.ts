// Which trace a reading command works on: the path given, or with --last (also the default) the
// newest trace in .hindsight/; opened with protocol/reader's Trace.
import { Trace } from '../protocol/reader';
import { UsageError } from './errors';
import { defaultTraceDir, lastTrace } from './traceDir';

export async function openPickedTrace(given: string | undefined, last: boolean, command: string): Promise<Trace> {
  if (given !== undefined && last) throw new UsageError(`${command}: give a trace or --last, not both`);
  return Trace.open(given ?? lastTrace(defaultTraceDir()));
}
