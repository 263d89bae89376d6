// Hindsight's custom DAP requests: the contract between `hindsight dap` and any client (editors/,
// scripts). A client sends them like standard requests (VS Code: `session.customRequest(name, args)`).
import type { DebugProtocol } from '@vscode/debugprotocol';

/** The names of the custom requests, as sent in a request's `command`. */
export const CustomRequest = {
  /** Reverse step in: the previous stop point of the thread, whichever frame it is in. */
  reverseStepIn: 'reverseStepIn',
  /** Reverse step out: the caller's line that made the call to the current frame. */
  reverseStepOut: 'reverseStepOut',
  /** Go to a position: the nearest stop point at or after event `seq` (of `threadId` when given). */
  gotoPosition: 'gotoPosition',

  // Inspection: overviews of the trace that never move the cursor.
  /** The recording cut into buckets (a seq range, the whole trace by default), each summarised. */
  timeline: 'timeline',
  /** The invocations an invocation started (or the root invocations), paged. */
  callTree: 'callTree',
  /** Every change of one variable, paged. */
  valueHistory: 'valueHistory',
  /** Where the replay stands: seq, total events, time, thread, and whether the trace is whole. */
  positionInfo: 'positionInfo',
} as const;

/** Arguments of reverseStepIn and reverseStepOut (as DAP's stepBack). */
export type ReverseStepArguments = DebugProtocol.StepBackArguments;

/** Arguments of gotoPosition. The stop that follows has reason 'goto'. */
export interface GotoPositionArguments {
  /** An event of the trace (1 to the last seq), as `:where` shows it. */
  seq: number;
  /** Follow this thread: its nearest stop point at or after seq. Default: the thread of event seq. */
  threadId?: number;
}

/** A window of a long answer: items [start, start + count); count 0 or absent means all. */
export interface PageArguments {
  start?: number;
  count?: number;
}

export interface TimelineArguments {
  /** How many buckets, 1 to 10000 (fewer come back when the range has fewer events). Default 100. */
  buckets?: number;
  /** The range's first event (default 1) and last event (default the last of the trace), both included. */
  startSeq?: number;
  endSeq?: number;
}

export interface TimelineBucket {
  /** The bucket's events: startSeq to endSeq, both included. */
  startSeq: number;
  endSeq: number;
  /** The deepest invocation among its events: 0 is a root frame (the module, a thread's first frame). */
  maxDepth: number;
  /** Exceptions raised in the bucket (counted where first raised, not once per frame they cross). */
  exceptions: number;
  /** Executions of the lines that carry a breakpoint or log point in this session (conditions and hit counts not applied). */
  breakpointHits: number;
  /** The function that ran the most events of the bucket: the exact mode, ties to the one that ran first. */
  dominant: CodeSummary & { events: number };
}

/** A code object as a client shows it. */
export interface CodeSummary {
  name: string;
  qualname: string;
  path: string;
  /** Its first line (the def line; 1 for a module). */
  line: number;
}

export interface TimelineResponseBody {
  buckets: TimelineBucket[];
  /** The number of events in the whole trace. */
  totalEvents: number;
}

export interface CallTreeArguments extends PageArguments {
  /** The invocation whose children to list; absent for the roots. */
  invocation?: number;
}

export interface CallTreeNode extends CodeSummary {
  invocation: number;
  threadId: number;
  /** Its CALL event and its last event (null when the recording stopped while it ran). */
  firstSeq: number;
  lastSeq: number | null;
  /** How it ended: returned, raised (an exception left it), suspended (a generator never resumed to the end), running (the recording stopped first). */
  end: 'return' | 'exception' | 'suspended' | 'running';
  /** How many invocations it started (expand with callTree { invocation }). */
  children: number;
}

export interface CallTreeResponseBody {
  calls: CallTreeNode[];
  /** Children in all, of which `calls` is the page asked. */
  total: number;
}

export interface ValueHistoryArguments extends PageArguments {
  /** The variable's name, as Python reads it in that frame: its local, else its module's global. */
  name: string;
  /** A stack frame (its id from stackTrace); or give `invocation`. */
  frameId?: number;
  invocation?: number;
}

export interface ValueHistoryChange {
  /** The event from which the value holds (goto target). */
  seq: number;
  /** The line whose execution made the change (for an argument, the def line). */
  line: number;
  /** The value as Python-like text; "truncated" is said where the recorder's caps cut it. */
  value: string;
  type: string;
}

export interface ValueHistoryResponseBody {
  /** The invocation that owns the variable (the module's for a global) and which it is. */
  invocation: number;
  scope: 'local' | 'global';
  changes: ValueHistoryChange[];
  /** Changes in all, of which `changes` is the page asked. */
  total: number;
}

export interface PositionInfoResponseBody {
  /** The current event and the number of events in the trace (seq is dense from 1). */
  seq: number;
  totalEvents: number;
  /**
   * Nanoseconds since the recording started. Line events have no time of their own: then it is the
   * time of the latest timed event before (timeExact false). Null when no event so far has a time.
   */
  timeNs: number | null;
  timeExact: boolean;
  threadId: number;
  threadName: string;
  /** complete; truncated (a limit stopped recording, the program ran on); incomplete (the debuggee or recorder died); recording (being written). */
  status: 'complete' | 'truncated' | 'incomplete' | 'recording';
  /** Why the recording ended, one sentence (null when the trace does not say). */
  statusReason: string | null;
}
