// DAP frame ids, shared by adapter/ (which hands them out) and lsp/ (which gets them back in inlineValue):
// a frame id is the seq of the frame's own current event; that event names exactly one invocation.
import type { Trace } from './reader';
import type { InvocationId, Seq } from './schema';

/** A positive integer (seq is dense from 1), well inside JSON's safe integers. */
export type FrameId = number;

/** What a frame id stands for: the invocation, and the seq its state is read at. */
export interface FramePosition {
  seq: Seq;
  invocation: InvocationId;
}

/** The frame id of a stack frame (StackFrame from Trace.stackAt has both fields). */
export function frameIdOf(frame: FramePosition): FrameId {
  return frame.seq;
}

/**
 * The frame a frame id stands for, undefined when the trace has no such event. A frame of the stop's
 * stacks (its event is its invocation's latest at or before `stop`) is read at the stop: its callees
 * may have changed its globals, cells and objects since its own last line. Any other id is read at its event.
 */
export function frameFromId(trace: Trace, id: FrameId, stop?: Seq): FramePosition | undefined {
  if (!Number.isSafeInteger(id) || id < 1) return undefined;
  const event = trace.event(id);
  if (!event) return undefined;
  const current = stop !== undefined && event.seq < stop && trace.next(stop + 1, 'backward', { invocation: event.invocation })?.seq === event.seq;
  return { seq: current ? stop : event.seq, invocation: event.invocation };
}
