// DAP frame ids, shared by adapter/ (which hands them out) and lsp/ (which gets them back in inlineValue):
// a frame id is the seq of the frame's own current event; that event names exactly one invocation.
import type { Trace } from './reader';
import type { InvocationId, Seq } from './schema';

/** A positive integer (seq is dense from 1), well inside JSON's safe integers. */
export type FrameId = number;

/** What a frame id stands for: the frame's current event and the invocation it belongs to. */
export interface FramePosition {
  seq: Seq;
  invocation: InvocationId;
}

/** The frame id of a stack frame (StackFrame from Trace.stackAt has both fields). */
export function frameIdOf(frame: FramePosition): FrameId {
  return frame.seq;
}

/** The (seq, invocation) a frame id stands for, or undefined when the trace has no such event. */
export function frameFromId(trace: Trace, id: FrameId): FramePosition | undefined {
  if (!Number.isSafeInteger(id) || id < 1) return undefined;
  const event = trace.event(id);
  return event && { seq: event.seq, invocation: event.invocation };
}
