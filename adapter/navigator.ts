// The replay engine, DAP-free: a cursor (seq, thread) moved by steps and runs in a Direction, stopping
// at stop points (LINE events and frame exits) or where a breakpoint predicate accepts an event.
import { EventKind, type FileId, type Line, type Seq, type ThreadId } from '../protocol/schema';
import type { Direction, EventMatch, Trace, TraceEvent } from '../protocol/reader';

export type { Direction };

/** Where the replay stands: an event and the thread the user follows. */
export interface Position {
  seq: Seq;
  thread: ThreadId;
}

/** Why the cursor stopped; 'end' and 'start' mean the recording had nothing further that way. */
export type StopReason = 'entry' | 'step' | 'breakpoint' | 'goto' | 'pause' | 'end' | 'start';

export interface Stop {
  position: Position;
  reason: StopReason;
  /** The breakpoints that accepted the stop event (reason 'breakpoint'). */
  breakpoints: number[];
  /** Log point hits crossed on the way, in the order travelled (the stop event excluded). */
  logs: LogHit[];
}

export interface LogHit {
  rule: StopRule;
  event: TraceEvent;
}

/**
 * A breakpoint as the navigator sees it: the events it may stop at, and a predicate (condition, hit
 * count) over one such event, built by the session. `accepts` is asked in seq order of the run.
 */
export interface StopRule {
  id: number;
  location: { file: FileId; line: Line };
  accepts(event: TraceEvent): boolean;
  /** 'log': a log point, which never stops; its accepted hits are reported as crossed. */
  action: 'stop' | 'log';
  /** A log point's message template ("i is {i}"); '' for a breakpoint that stops. */
  message: string;
}

/** Stop points: a line about to run, and a frame's exit (return or exception), where its effect is visible. */
export const STOP_KINDS: readonly EventKind[] = [EventKind.Line, EventKind.Return, EventKind.Unwind];
const EXIT_KINDS: readonly EventKind[] = [EventKind.Return, EventKind.Unwind, EventKind.Yield];

export class Navigator {
  constructor(private readonly trace: Trace, private readonly rules: () => readonly StopRule[]) {}

  /** The first line of the program (the first LINE event); undefined for a trace without one. */
  entry(): Stop | undefined {
    const first = this.trace.next(0, 'forward', { kinds: [EventKind.Line] });
    return first && this.stop(first, 'entry');
  }

  /** The last stop point of the recording, in whichever thread ran last (where a paused recording ended). */
  last(): Stop | undefined {
    const last = this.trace.next(this.trace.lastSeq() + 1, 'backward', { kinds: STOP_KINDS });
    return last && this.stop(last, 'end');
  }

  /** Step over: the next (or previous) stop point of the same frame; past a frame's end or start, its caller. */
  stepOver(from: Position, direction: Direction): Stop {
    const target = direction === 'forward' ? this.nextInFrameOrCaller(from.seq) : this.previousInFrameOrCallLine(from.seq);
    return this.within(from, direction, target, 'step');
  }

  /** Step in: the next stop point of the thread, whichever frame it is in. */
  stepIn(from: Position, direction: Direction): Stop {
    return this.within(from, direction, this.trace.next(from.seq, direction, { thread: from.thread, kinds: STOP_KINDS }), 'step');
  }

  /** Step out: the caller's first stop point after the current frame returned (or yielded). */
  stepOut(from: Position): Stop {
    const current = this.trace.event(from.seq);
    const exit = current && this.trace.next(from.seq - 1, 'forward', { invocation: current.invocation, kinds: EXIT_KINDS });
    const target = exit && this.callerStopAfter(from.seq, exit.seq, 1);
    return this.within(from, 'forward', target, 'step');
  }

  /** Continue / reverse-continue: the nearest breakpoint hit that way, else the end (start) of the recording. */
  run(from: Position, direction: Direction): Stop {
    const logs: LogHit[] = [];
    return withLogs(this.firstHit(from.seq, direction, undefined, logs) ?? this.boundary(from, direction), logs);
  }

  /** Jumps to an event (the nearest stop point at or after it in its thread). */
  goto(seq: Seq): Stop | undefined {
    const event = this.trace.event(seq);
    if (!event) return undefined;
    const stopPoint = STOP_KINDS.includes(event.kind) ? event : this.trace.next(seq, 'forward', { thread: event.thread, kinds: STOP_KINDS });
    return this.stop(stopPoint ?? event, 'goto');
  }

  /** The target of a step, unless a breakpoint is hit on the way (strictly between from and target). */
  private within(from: Position, direction: Direction, target: TraceEvent | undefined, reason: StopReason): Stop {
    const logs: LogHit[] = [];
    const hit = this.firstHit(from.seq, direction, target?.seq, logs);
    return withLogs(hit ?? (target ? this.stop(target, reason) : this.boundary(from, direction)), logs);
  }

  /** The nearest event after (before) `from` and before `limit` that a rule accepts. */
  private firstHit(from: Seq, direction: Direction, limit: Seq | undefined, logs: LogHit[]): Stop | undefined {
    const rules = this.rules();
    const cursors = new Map(rules.map((rule) => [rule, from]));
    const beyond = (seq: Seq) => limit !== undefined && (direction === 'forward' ? seq >= limit : seq <= limit);
    for (;;) {
      let best: { rule: StopRule; event: TraceEvent } | undefined;
      for (const rule of rules) {
        const cursor = cursors.get(rule);
        if (cursor === undefined) continue;
        const event = this.trace.next(cursor, direction, { location: rule.location, kinds: [EventKind.Line] });
        if (!event || beyond(event.seq)) cursors.delete(rule);
        else if (!best || (direction === 'forward' ? event.seq < best.event.seq : event.seq > best.event.seq)) best = { rule, event };
      }
      if (!best) return undefined;
      const event = best.event;
      const accepted = rules.filter((rule) => cursors.has(rule) && sameLine(rule, event, this.trace) && rule.accepts(event));
      const stops = accepted.filter((rule) => rule.action === 'stop');
      if (stops.length) return { ...this.stop(event, 'breakpoint'), breakpoints: stops.map((rule) => rule.id) };
      for (const rule of accepted) logs.push({ rule, event });
      for (const rule of rules) if (cursors.has(rule) && sameLine(rule, event, this.trace)) cursors.set(rule, event.seq);
    }
  }

  private nextInFrameOrCaller(seq: Seq): TraceEvent | undefined {
    const current = this.trace.event(seq);
    if (!current) return undefined;
    return this.trace.next(seq, 'forward', { invocation: current.invocation, kinds: STOP_KINDS }) ?? this.callerStopAfter(seq, seq, 1);
  }

  private previousInFrameOrCallLine(seq: Seq): TraceEvent | undefined {
    const current = this.trace.event(seq);
    if (!current) return undefined;
    const previous = this.trace.next(seq, 'backward', { invocation: current.invocation, kinds: STOP_KINDS });
    if (previous) return previous;
    const caller = this.trace.stackAt(seq)[1];
    return caller && this.trace.event(caller.seq);
  }

  /** The first stop point after `after` of the stack's frame at `level` (at seq), else of the frames below it. */
  private callerStopAfter(seq: Seq, after: Seq, level: number): TraceEvent | undefined {
    for (const frame of this.trace.stackAt(seq).slice(level)) {
      const event = this.trace.next(after, 'forward', { invocation: frame.invocation, kinds: STOP_KINDS });
      if (event) return event;
    }
    return undefined;
  }

  /** Nothing further that way: the last (first) stop point of the thread, reason 'end' ('start'). */
  private boundary(from: Position, direction: Direction): Stop {
    const match: EventMatch = { thread: from.thread, kinds: STOP_KINDS };
    const edge = direction === 'forward'
      ? this.trace.next(this.trace.lastSeq() + 1, 'backward', match)
      : this.trace.next(0, 'forward', match);
    const seq = edge?.seq ?? from.seq;
    return { position: { seq, thread: from.thread }, reason: direction === 'forward' ? 'end' : 'start', breakpoints: [], logs: [] };
  }

  private stop(event: TraceEvent, reason: StopReason): Stop {
    return { position: { seq: event.seq, thread: event.thread }, reason, breakpoints: [], logs: [] };
  }
}

function withLogs(stop: Stop, logs: LogHit[]): Stop {
  return { ...stop, logs };
}

function sameLine(rule: StopRule, event: TraceEvent, trace: Trace): boolean {
  return event.line === rule.location.line && trace.code(event.code)?.file === rule.location.file;
}
