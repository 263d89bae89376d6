// The inspection requests of protocol/requests.ts (timeline, callTree, valueHistory, positionInfo):
// checks their arguments, asks the reader, and builds their answers. They never move the cursor.
import type { Code, Page, Trace } from '../protocol/reader';
import type {
  CallTreeArguments, CallTreeNode, CallTreeResponseBody, CodeSummary, PageArguments, PositionInfoResponseBody,
  TimelineArguments, TimelineResponseBody, ValueHistoryArguments, ValueHistoryResponseBody,
} from '../protocol/requests';
import { EventKind, type FileId, type Line, type Seq, type ThreadId, type TraceStatus } from '../protocol/schema';
import { render, typeName } from '../protocol/values';

const MAX_BUCKETS = 10_000;

/** `lines`: the session's line breakpoints, whose executions each bucket counts. */
export function timelineBody(trace: Trace, args: TimelineArguments, lines: readonly { file: FileId; line: Line }[]): TimelineResponseBody {
  const totalEvents = trace.lastSeq();
  const buckets = args.buckets ?? 100;
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > MAX_BUCKETS) throw new Error(`'buckets' must be an integer from 1 to ${MAX_BUCKETS}`);
  const first = seqArgument(args.startSeq, 'startSeq', 1, totalEvents);
  const last = seqArgument(args.endSeq, 'endSeq', totalEvents, totalEvents);
  if (last < first) throw new Error(`'endSeq' (${last}) is before 'startSeq' (${first})`);
  return {
    buckets: trace.timeline(first, last, buckets, lines).map((bucket) => ({
      startSeq: bucket.firstSeq,
      endSeq: bucket.lastSeq,
      maxDepth: bucket.maxDepth,
      exceptions: bucket.exceptions,
      breakpointHits: bucket.lineHits,
      dominant: { ...codeSummary(requireCode(trace, bucket.dominantCode)), events: bucket.dominantEvents },
    })),
    totalEvents,
  };
}

export function callTreeBody(trace: Trace, args: CallTreeArguments): CallTreeResponseBody {
  if (args.invocation !== undefined && !trace.invocation(args.invocation)) throw new Error(`there is no invocation ${String(args.invocation)} in this trace`);
  const { nodes, total } = trace.callChildren(args.invocation ?? null, page(args));
  return {
    calls: nodes.map(({ invocation, children }): CallTreeNode => ({
      invocation: invocation.id,
      ...codeSummary(requireCode(trace, invocation.code)),
      threadId: invocation.thread,
      firstSeq: invocation.firstSeq,
      lastSeq: invocation.lastSeq,
      end: END_NAMES[invocation.endKind ?? -1] ?? 'running',
      children,
    })),
    total,
  };
}

const END_NAMES: Partial<Record<number, CallTreeNode['end']>> = {
  [EventKind.Return]: 'return',
  [EventKind.Unwind]: 'exception',
  [EventKind.Yield]: 'suspended',
};

/** `frame` resolves a frameId to (seq, invocation); the session owns frame ids. */
export function valueHistoryBody(trace: Trace, args: ValueHistoryArguments, frame: (frameId: number) => { seq: Seq; invocation: number }): ValueHistoryResponseBody {
  if (typeof args.name !== 'string' || !args.name) throw new Error("'name' (the variable's name) is required");
  let at: { seq: Seq; invocation: number };
  if (args.frameId !== undefined) at = frame(args.frameId);
  else if (args.invocation !== undefined) {
    const invocation = trace.invocation(args.invocation);
    if (!invocation) throw new Error(`there is no invocation ${String(args.invocation)} in this trace`);
    at = { seq: invocation.firstSeq, invocation: invocation.id };
  } else throw new Error("give 'frameId' or 'invocation' to say whose variable it is");
  const history = trace.variableHistory(at.invocation, at.seq, args.name, page(args));
  if (!history) throw new Error(`'${args.name}' is not a recorded variable of that frame or of its module`);
  return {
    invocation: history.invocation,
    scope: history.scope,
    changes: history.changes.map((change) => ({ seq: change.seq, line: change.line, value: render(change.value), type: typeName(change.value) })),
    total: history.total,
  };
}

/** Cheap enough for every stop: meta and the last seq, not summary()'s counts over whole tables. */
export function positionInfoBody(trace: Trace, position: { seq: Seq; thread: ThreadId }): PositionInfoResponseBody {
  const meta = trace.meta();
  const time = trace.timeAt(position.seq);
  const reason = meta.get('end_reason');
  return {
    seq: position.seq,
    totalEvents: trace.lastSeq(),
    timeNs: time?.ns ?? null,
    timeExact: time?.exact ?? false,
    threadId: position.thread,
    threadName: trace.threads().find((thread) => thread.id === position.thread)?.name ?? '',
    status: String(meta.get('status') ?? 'recording') as TraceStatus,
    statusReason: reason === null || reason === undefined ? null : String(reason),
  };
}

function codeSummary(code: Code): CodeSummary {
  return { name: code.name, qualname: code.qualname, path: code.path, line: code.firstLine };
}

function requireCode(trace: Trace, id: number): Code {
  const code = trace.code(id);
  if (!code) throw new Error(`the trace names code ${id}, which it lacks`);
  return code;
}

function seqArgument(value: unknown, name: string, fallback: Seq, last: Seq): Seq {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > last) throw new Error(`'${name}' must be an event number from 1 to ${last}`);
  return value as number;
}

function page(args: PageArguments): Page {
  const start = args.start ?? 0;
  const count = args.count ?? 0;
  if (!Number.isInteger(start) || start < 0) throw new Error("'start' must be a non-negative integer");
  if (!Number.isInteger(count) || count < 0) throw new Error("'count' must be a non-negative integer");
  return { offset: start, limit: count === 0 ? -1 : count };
}
