// The plain data the reader returns, in trace terms (seq, invocation, thread, code, line). No DAP or
// LSP types: adapter/ and lsp/ convert these at their edge. Lines are 1-based, times nanoseconds.
import type {
  CodeId, CodeKind, EventKind, ExceptionId, FileId, InvocationId, Line, Nanoseconds, OutputStream, Seq, ThreadId,
  TraceStatus, VariableId,
} from '../schema';
import type { ValueNode } from '../values';

export interface TraceEvent {
  seq: Seq;
  invocation: InvocationId;
  line: Line;
  kind: EventKind;
  /** The exception id for EXCEPTION and UNWIND events, else null. */
  arg: ExceptionId | null;
  /** Null on LINE events. */
  t: Nanoseconds | null;
  /** The invocation's thread and code, for matching without a second lookup. */
  thread: ThreadId;
  code: CodeId;
}

export interface TraceSummary {
  path: string;
  status: TraceStatus;
  endReason: string | null;
  program: string | null;
  argv: string[];
  cwd: string | null;
  pythonVersion: string | null;
  pythonExecutable: string | null;
  tracer: string | null;
  tracerReason: string | null;
  recorderVersion: string | null;
  /** Unix milliseconds. */
  startedAt: number | null;
  endedAt: number | null;
  exitCode: number | null;
  exitSignal: number | null;
  truncated: boolean;
  /** 0 = no limit. */
  maxEvents: number;
  /** The last seq (seq is dense from 1, so also the number of events). */
  events: number;
  invocations: number;
  exceptions: number;
  uncaughtExceptions: number;
  threads: number;
  files: number;
}

/** Where a file's code came from (schema.sql, file.origin). */
export type FileOrigin = 'file' | 'archive' | 'string';

export interface SourceFile {
  id: FileId;
  /** Unique in the trace; for 'string' code it is `name#N`, no path on disk. */
  path: string;
  /** What Python calls it (co_filename): the path, or e.g. '<string>' for code compiled from a string. */
  name: string;
  origin: FileOrigin;
  /** Null when the source is not recorded (then `missing` says why). */
  sha256: string | null;
  missing: string | null;
}

export interface Code {
  id: CodeId;
  file: FileId;
  path: string;
  name: string;
  qualname: string;
  firstLine: Line;
  kind: CodeKind;
}

export interface ThreadInfo {
  id: ThreadId;
  ident: number;
  name: string;
}

export interface Invocation {
  id: InvocationId;
  parent: InvocationId | null;
  thread: ThreadId;
  code: CodeId;
  depth: number;
  firstSeq: Seq;
  /** Null while the trace is being recorded (set by finish.sql). */
  lastSeq: Seq | null;
  /** RETURN, UNWIND, YIELD (a generator left suspended), or null: still running when recording stopped. */
  endKind: EventKind | null;
  tStart: Nanoseconds | null;
  tEnd: Nanoseconds | null;
}

/** A thread's lifetime in the trace: its first and last recorded event. */
export interface ThreadSpan {
  thread: ThreadId;
  firstSeq: Seq;
  lastSeq: Seq;
}

/** One frame of a stack, innermost first in a stack. */
export interface StackFrame {
  invocation: InvocationId;
  code: Code;
  thread: ThreadId;
  depth: number;
  /** The frame's current line: at seq for the top frame, at its last event before seq for callers. */
  line: Line;
  /** The event that line comes from. */
  seq: Seq;
}

/** A variable's value at some seq: the latest change at or before it. */
export interface VariableValue {
  variable: VariableId;
  name: string;
  value: ValueNode;
  /** The seq of the change that set this value. */
  changedAt: Seq;
}

/** One change of a variable, in a variable's history. */
export interface ValueChange {
  /** The event at which the change was observed (the value holds from here on). */
  seq: Seq;
  /** The invocation the variable belongs to (a module's, for globals). */
  invocation: InvocationId;
  /** The line whose execution made the change (the observing frame's previous event; the call line for arguments). */
  line: Line;
  value: ValueNode;
}

/** Which events `next` may stop at; every given field must match. */
export interface EventMatch {
  invocation?: InvocationId;
  thread?: ThreadId;
  code?: CodeId;
  /** A source line: events on this line of code from this file. */
  location?: { file: FileId; line: Line };
  kinds?: readonly EventKind[];
  /** EXCEPTION/UNWIND events of this exception. */
  exception?: ExceptionId;
}

export type Direction = 'forward' | 'backward';

export interface ExceptionInfo {
  id: ExceptionId;
  type: string;
  message: string;
  raisedSeq: Seq;
  /** Where it was raised: the invocation and line of its first EXCEPTION event. */
  raisedIn: InvocationId;
  raisedLine: Line;
  caughtSeq: Seq | null;
  escapedSeq: Seq | null;
  uncaught: boolean;
}

export interface OutputChunk {
  /** The last event recorded before the write. */
  seq: Seq;
  stream: OutputStream;
  text: string;
}

export interface CodeStats {
  code: Code;
  /** Invocations (a generator resumed many times counts once). */
  calls: number;
  /** Invocations that ended by an exception. */
  raised: number;
  /** Invocations with a duration (those that returned or raised): the ones totalNs and maxNs cover. */
  timed: number;
  totalNs: Nanoseconds;
  maxNs: Nanoseconds;
  slowest: InvocationId | null;
  first: InvocationId;
  firstRaised: InvocationId | null;
}

/** One exception type that ended invocations of a code object. */
export interface RaisedType {
  type: string;
  /** How many invocations it ended. */
  times: number;
  /** The first such exception. */
  first: ExceptionId;
}

export interface LineStats {
  line: Line;
  hits: number;
}

/** A window of a long list: rows [offset, offset + limit). */
export interface Page {
  offset: number;
  limit: number;
}
