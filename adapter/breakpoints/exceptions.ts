// Exception breakpoints (filters 'raised' and 'uncaught'): stop once per exception, at its raise,
// however many frames it then propagates through; and the exceptionInfo body for a stop on one.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { exceptionText } from '../../protocol/exceptionText';
import type { ExceptionInfo, RaiseFilter, Trace } from '../../protocol/reader';
import type { StopRule } from '../navigator';
import { newBreakpointId, stopRule, walk, type FrameLookup, type HitSource, type SourceHit } from './rule';
import type { BreakpointSet } from './lines';

export const EXCEPTION_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  { filter: 'raised', label: 'Raised Exceptions', description: 'Stop where any exception is raised, handled or not', default: false },
  { filter: 'uncaught', label: 'Uncaught Exceptions', description: 'Stop where an exception the program (or a thread) died of was raised', default: true },
];

export function exceptionBreakpoints(trace: Trace, filters: string[], lookup: FrameLookup): BreakpointSet {
  const rules: StopRule[] = [];
  const answers = filters.map((filter): DebugProtocol.Breakpoint => {
    const id = newBreakpointId();
    if (filter !== 'raised' && filter !== 'uncaught') return { id, verified: false, message: `unknown exception filter '${filter}': use 'raised' or 'uncaught'` };
    rules.push(stopRule({ id, reason: 'exception', label: `exception filter '${filter}'` }, raiseSource(trace, filter), lookup));
    return { id, verified: true };
  });
  return { rules, answers };
}

/** The exceptionInfo answer: type, message, whether it was caught, and a Python-style traceback to its raise. */
export function exceptionInfoBody(trace: Trace, exception: ExceptionInfo): DebugProtocol.ExceptionInfoResponse['body'] {
  const frames = trace.stackAt(exception.raisedSeq).reverse()
    .map((frame) => `  File "${frame.code.path}", line ${frame.line}, in ${frame.code.qualname}`);
  const stackTrace = ['Traceback (most recent call last):', ...frames, exceptionText(exception)].join('\n');
  return {
    exceptionId: exception.type,
    description: exception.message,
    breakMode: exception.uncaught ? 'unhandled' : 'always',
    details: { message: exception.message, typeName: exception.type.split('.').pop(), fullTypeName: exception.type, stackTrace },
  };
}

/** Raises the filter takes, each hit at its first EXCEPTION event (the raise) and counted by it. */
function raiseSource(trace: Trace, filter: RaiseFilter): HitSource {
  return {
    candidates: (from, direction) => {
      const hitAfter = (seq: number): SourceHit | undefined => {
        const id = trace.nextRaise(seq, direction, filter);
        const event = id === undefined ? undefined : trace.event(trace.exception(id)?.raisedSeq ?? -1);
        return event && { event, key: event.seq };
      };
      return walk(hitAfter(from), (previous) => hitAfter(previous.key));
    },
    countUpTo: (key) => trace.raisesUpTo(key, filter),
  };
}
