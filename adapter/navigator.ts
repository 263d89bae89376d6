// The replay engine, DAP-free: a cursor (seq, thread) moved by steps and runs in a Direction, stopping
// at stop points (LINE events and frame exits) or at the first hit of a breakpoint rule's hit stream.
import { EventKind, type CodeKind, type InvocationId, type Seq, type ThreadId } from '../protocol/schema';
import type { Direction, EventMatch, Trace, TraceEvent } from '../protocol/reader';

export type { Direction };

/** Where the replay stands: an event and the thread the user follows. */
export interface Position {
  seq: Seq;
  thread: ThreadId;
}

/** Why the cursor stopped; 'end' and 'start' mean the recording had nothing further that way. */
export type StopReason = 'entry' | 'step' | 'breakpoint' | 'function breakpoint' | 'data breakpoint' | 'exception' | 'goto' | 'pause' | 'end' | 'start';

export interface Stop {
  position: Position;
  reason: StopReason;
  /** The breakpoints that accepted the stop event (a breakpoint reason). */
  breakpoints: number[];
  /** Log point hits crossed on the way, in the order travelled (the stop event excluded), and condition errors met. */
  logs: LogHit[];
  /** For an 'end' ('start') stop: the thread whose last (first) stop point it is, when that is not the recording's. */
  threadEdge?: ThreadId;
}

export interface LogHit {
  rule: StopRule;
  event: TraceEvent;
  /** Set when this entry reports a condition that could not be evaluated (one per rule and move), not a log message. */
  conditionError?: string;
}

/**
 * A breakpoint as the navigator sees it, built by adapter/breakpoints: its hits from a seq in a
 * direction, as a stream of candidate events in travel order, each judged (condition, hit count)
 * only when the navigator reaches it. firstHit merges the streams of every rule in seq order.
 */
export interface StopRule {
  id: number;
  /** The stop reason when this rule stops the cursor. */
  reason: StopReason;
  /** 'log': a log point, which never stops; its accepted hits are reported as crossed. */
  action: 'stop' | 'log';
  /** A log point's message template ("i is {i}"); '' for a breakpoint that stops. */
  message: string;
  /** The candidate hits strictly after (before) `from`, nearest first. */
  hits(from: Seq, direction: Direction): Iterator<Candidate>;
}

/** One event a rule may stop at; `judge` runs at most once, in travel order, when the navigator reaches it. */
export interface Candidate {
  event: TraceEvent;
  judge(): Verdict;
}

/** Whether a candidate is a hit; `error` names a condition that failed there (such a hit counts as accepted). */
export interface Verdict {
  accepted: boolean;
  error?: string;
}

/** Stop points: a line about to run, and a frame's exit (return or exception), where its effect is visible. */
export const STOP_KINDS: readonly EventKind[] = [EventKind.Line, EventKind.Return, EventKind.Unwind];
/** Code whose yields hand control back to its consumer (an async generator's `async for` included). */
const GENERATOR_KINDS: ReadonlySet<CodeKind | undefined> = new Set<CodeKind | undefined>(['generator', 'async_generator']);

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

  /**
   * Step over: the next (previous) stop point of the same frame. Past the end of the frame's
   * activation, where its caller continues; before its start, the line that called (resumed) it.
   */
  stepOver(from: Position, direction: Direction): Stop {
    const target = direction === 'forward' ? this.nextInFrameOrCaller(from.seq) : this.previousInFrameOrCallLine(from.seq);
    return this.within(from, direction, target, 'step');
  }

  /**
   * Step in: the next (previous) stop point of the thread, whichever frame it is in. A coroutine that
   * suspends at an `await` first is stepped over instead: the other tasks the event loop runs then
   * are not where the user is going.
   */
  stepIn(from: Position, direction: Direction): Stop {
    const current = this.trace.event(from.seq);
    const target = this.trace.next(from.seq, direction, { thread: from.thread, kinds: STOP_KINDS });
    if (current && target && this.kindOf(current) === 'coroutine' && this.pausesBefore(current, target, direction)) {
      return this.stepOver(from, direction);
    }
    return this.within(from, direction, target, 'step');
  }

  /** Step out: where the caller continues once the current frame's activation ended (returned, or a generator yielded). */
  stepOut(from: Position): Stop {
    const current = this.trace.event(from.seq);
    const exit = current && this.trace.next(from.seq - 1, 'forward', { invocation: current.invocation, kinds: this.endKinds(current) });
    return this.within(from, 'forward', exit && this.afterEnd(exit), 'step');
  }

  /** Reverse step out: the line that called (for a generator: last resumed) the current frame, before the call. */
  stepOutBackward(from: Position): Stop {
    const current = this.trace.event(from.seq);
    const start = current && this.trace.next(from.seq + 1, 'backward', { invocation: current.invocation, kinds: this.startKinds(current) });
    return this.within(from, 'backward', start && this.beforeStart(start), 'step');
  }

  /** Instruction granularity: exactly one recorded event of the thread that way, whatever its kind. */
  stepEvent(from: Position, direction: Direction): Stop {
    return this.within(from, direction, this.trace.next(from.seq, direction, { thread: from.thread }), 'step');
  }

  /** Continue / reverse-continue: the nearest breakpoint hit that way, else the end (start) of the recording. */
  run(from: Position, direction: Direction): Stop {
    const logs: LogHit[] = [];
    // A run moves every thread, so with no hit it ends at the recording's edge, not the thread's.
    return this.withEdgeLogs(from, direction, this.firstHit(from.seq, direction, undefined, logs) ?? this.boundary(from, direction, undefined), logs);
  }

  /** Jumps to an event (the nearest stop point at or after it in its thread, or in `thread` when given). */
  goto(seq: Seq, thread?: ThreadId): Stop | undefined {
    const event = this.trace.event(seq);
    if (!event) return undefined;
    const inThread = thread ?? event.thread;
    const stopPoint = event.thread === inThread && STOP_KINDS.includes(event.kind)
      ? event
      : this.trace.next(seq, 'forward', { thread: inThread, kinds: STOP_KINDS });
    if (thread !== undefined && !stopPoint) return undefined;
    return this.stop(stopPoint ?? event, 'goto');
  }

  /** Restart frame: the first stop point of an invocation. */
  frameStart(invocation: InvocationId): Stop | undefined {
    const first = this.trace.invocation(invocation)?.firstSeq;
    const event = first === undefined ? undefined : this.trace.next(first, 'forward', { invocation, kinds: STOP_KINDS });
    return event && this.stop(event, 'goto');
  }

  /** The target of a step, unless a breakpoint is hit on the way (strictly between from and target). */
  private within(from: Position, direction: Direction, target: TraceEvent | undefined, reason: StopReason): Stop {
    const logs: LogHit[] = [];
    const hit = this.firstHit(from.seq, direction, target?.seq, logs);
    return this.withEdgeLogs(from, direction, hit ?? (target ? this.stop(target, reason) : this.boundary(from, direction, from.thread)), logs);
  }

  /**
   * A move's stop with the log points crossed on the way, plus those at its edge: the event a forward move
   * lands on (a line's log shows as the line is reached, as debugpy shows it) or the event a backward move
   * leaves (that line is undone). So stepping line by line past a log point emits it once each way.
   */
  private withEdgeLogs(from: Position, direction: Direction, stop: Stop, logs: LogHit[]): Stop {
    if (stop.position.seq === from.seq) return withLogs(stop, logs);
    if (direction === 'forward') return withLogs(stop, [...logs, ...this.logHitsAt(stop.position.seq)]);
    return withLogs(stop, [...this.logHitsAt(from.seq), ...logs]);
  }

  /** The log points whose accepted hit is the event at `seq`. */
  private logHitsAt(seq: Seq): LogHit[] {
    const logs: LogHit[] = [];
    for (const rule of this.rules()) {
      if (rule.action !== 'log') continue;
      const candidate = rule.hits(seq - 1, 'forward').next();
      if (!candidate.done && candidate.value.event.seq === seq && candidate.value.judge().accepted) logs.push({ rule, event: candidate.value.event });
    }
    return logs;
  }

  /** The nearest event after (before) `from` and before `limit` that a rule accepts; log hits and condition errors go to `logs`. */
  private firstHit(from: Seq, direction: Direction, limit: Seq | undefined, logs: LogHit[]): Stop | undefined {
    const beyond = (seq: Seq) => limit !== undefined && (direction === 'forward' ? seq >= limit : seq <= limit);
    const heads = new Map<StopRule, { stream: Iterator<Candidate>; candidate: Candidate }>();
    const advance = (rule: StopRule, stream: Iterator<Candidate>) => {
      const next = stream.next();
      if (next.done || beyond(next.value.event.seq)) heads.delete(rule);
      else heads.set(rule, { stream, candidate: next.value });
    };
    for (const rule of this.rules()) advance(rule, rule.hits(from, direction));
    const reported = new Set<StopRule>();
    const nearer = (a: Seq, b: Seq) => (direction === 'forward' ? a < b : a > b);
    for (;;) {
      let event: TraceEvent | undefined;
      for (const head of heads.values()) if (!event || nearer(head.candidate.event.seq, event.seq)) event = head.candidate.event;
      if (!event) return undefined;
      const here = [...heads].filter(([, head]) => head.candidate.event.seq === event.seq);
      const accepted: StopRule[] = [];
      for (const [rule, head] of here) {
        const verdict = head.candidate.judge();
        if (verdict.error !== undefined && !reported.has(rule)) {
          reported.add(rule);
          logs.push({ rule, event, conditionError: verdict.error });
        }
        if (verdict.accepted) accepted.push(rule);
      }
      const stops = accepted.filter((rule) => rule.action === 'stop');
      if (stops[0]) return { ...this.stop(event, stops[0].reason), breakpoints: stops.map((rule) => rule.id) };
      for (const rule of accepted) logs.push({ rule, event });
      for (const [rule, head] of here) advance(rule, head.stream);
    }
  }

  private nextInFrameOrCaller(seq: Seq): TraceEvent | undefined {
    const current = this.trace.event(seq);
    if (!current) return undefined;
    const ends = this.endKinds(current);
    if (ends.includes(current.kind)) return this.afterEnd(current);
    const next = this.trace.next(seq, 'forward', { invocation: current.invocation, kinds: [...STOP_KINDS, ...ends] });
    if (!next) return this.callerStopAfter(seq, seq, 1);
    return next.kind === EventKind.Yield ? this.afterEnd(next) : next;
  }

  private previousInFrameOrCallLine(seq: Seq): TraceEvent | undefined {
    const current = this.trace.event(seq);
    if (!current) return undefined;
    const starts = this.startKinds(current);
    if (starts.includes(current.kind)) return this.beforeStart(current);
    const previous = this.trace.next(seq, 'backward', { invocation: current.invocation, kinds: [...STOP_KINDS, ...starts] });
    return previous && starts.includes(previous.kind) ? this.beforeStart(previous) : previous;
  }

  /**
   * Where the thread continues after an activation ended at `end` (a RETURN, UNWIND or generator
   * YIELD): the caller's next stop point (for a generator, its resumer's). A coroutine's caller is
   * the event loop, which is not recorded: the thread's next stop point, whichever task it is in.
   */
  private afterEnd(end: TraceEvent): TraceEvent | undefined {
    if (this.kindOf(end) === 'coroutine') return this.trace.next(end.seq, 'forward', { thread: end.thread, kinds: STOP_KINDS });
    return this.callerStopAfter(end.seq, end.seq, 1);
  }

  /**
   * The mirror of afterEnd, before an activation started at `start` (its CALL, or a generator's
   * RESUME): the caller's (resumer's) last stop point before it, for a coroutine the thread's.
   */
  private beforeStart(start: TraceEvent): TraceEvent | undefined {
    if (this.kindOf(start) === 'coroutine') return this.trace.next(start.seq, 'backward', { thread: start.thread, kinds: STOP_KINDS });
    for (const frame of this.trace.stackAt(start.seq).slice(1)) {
      const event = this.trace.next(start.seq, 'backward', { invocation: frame.invocation, kinds: STOP_KINDS });
      if (event) return event;
    }
    return undefined;
  }

  /** Whether the coroutine of `current` pauses (reaches an await that suspends) before the thread reaches `target`. */
  private pausesBefore(current: TraceEvent, target: TraceEvent, direction: Direction): boolean {
    const pause = direction === 'forward' ? EventKind.Yield : EventKind.Resume;
    if (current.kind === pause) return true;
    const next = this.trace.next(current.seq, direction, { invocation: current.invocation });
    return next?.kind === pause && (direction === 'forward' ? next.seq < target.seq : next.seq > target.seq);
  }

  /**
   * The events that end an activation of the frame: a return or an exception, and for a generator
   * each yield (control goes back to its consumer). A coroutine's yield is an `await` that
   * suspends: a pause inside its task, not an end.
   */
  private endKinds(event: TraceEvent): readonly EventKind[] {
    return GENERATOR_KINDS.has(this.kindOf(event)) ? [EventKind.Return, EventKind.Unwind, EventKind.Yield] : [EventKind.Return, EventKind.Unwind];
  }

  /** The events that start an activation: the call, and for a generator each resume. */
  private startKinds(event: TraceEvent): readonly EventKind[] {
    return GENERATOR_KINDS.has(this.kindOf(event)) ? [EventKind.Call, EventKind.Resume] : [EventKind.Call];
  }

  private kindOf(event: TraceEvent): CodeKind | undefined {
    return this.trace.code(event.code)?.kind;
  }

  /** The first stop point after `after` of the stack's frame at `level` (at seq), else of the frames below it. */
  private callerStopAfter(seq: Seq, after: Seq, level: number): TraceEvent | undefined {
    for (const frame of this.trace.stackAt(seq).slice(level)) {
      const event = this.trace.next(after, 'forward', { invocation: frame.invocation, kinds: STOP_KINDS });
      if (event) return event;
    }
    return undefined;
  }

  /** Nothing further that way: the last (first) stop point of `thread`, or of any thread when undefined; reason 'end' ('start'). */
  private boundary(from: Position, direction: Direction, thread: ThreadId | undefined): Stop {
    const edge = this.edgeEvent(direction, thread);
    const position = edge ? { seq: edge.seq, thread: edge.thread } : from;
    const stop: Stop = { position, reason: direction === 'forward' ? 'end' : 'start', breakpoints: [], logs: [] };
    // A thread's edge that is not the recording's is named: the recording goes on beyond it.
    const ownEdge = thread !== undefined && edge !== undefined && edge.seq !== this.edgeEvent(direction, undefined)?.seq;
    return ownEdge ? { ...stop, threadEdge: thread } : stop;
  }

  /** The last (first) stop point of `thread`, or of any thread when undefined. */
  private edgeEvent(direction: Direction, thread: ThreadId | undefined): TraceEvent | undefined {
    const match: EventMatch = thread === undefined ? { kinds: STOP_KINDS } : { thread, kinds: STOP_KINDS };
    return direction === 'forward' ? this.trace.next(this.trace.lastSeq() + 1, 'backward', match) : this.trace.next(0, 'forward', match);
  }

  private stop(event: TraceEvent, reason: StopReason): Stop {
    return { position: { seq: event.seq, thread: event.thread }, reason, breakpoints: [], logs: [] };
  }
}

function withLogs(stop: Stop, logs: LogHit[]): Stop {
  return { ...stop, logs };
}
