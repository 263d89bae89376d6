// Replay: what a session has only once a trace is open (trace, navigator, sources, position, variable
// handles, the cursor file it wrote) and the lookups every handler shares: threads, frames, names.
import { removeCursor, writeCursor, type CursorRecord } from '../protocol/cursor';
import { frameFromId, type FramePosition } from '../protocol/frameId';
import type { Trace, TraceEvent } from '../protocol/reader';
import { EventKind, type Seq, type ThreadId } from '../protocol/schema';
import type { ValueNode } from '../protocol/values';
import type { FrameLookup } from './breakpoints/rule';
import type { NameLookup } from './expression';
import { Navigator, type Position, type StopRule } from './navigator';
import { Sources, VariableHandles, type ExitFacts } from './toDap';

export class Replay {
  readonly navigator: Navigator;
  readonly sources = new Sources();
  readonly handles = new VariableHandles();
  /** Where the replay stands; undefined until its first stop. */
  position: Position | undefined;
  /** The cursor record this session wrote last. */
  private cursor: CursorRecord | undefined;
  /** Names visible at an event's frame, for breakpoint conditions and log messages. */
  readonly frameLookup: FrameLookup = (event) => this.lookupAt({ seq: event.seq, invocation: event.invocation });

  /** `rules`: the session's breakpoints as they stand when the navigator asks. */
  constructor(readonly trace: Trace, rules: () => StopRule[]) {
    this.navigator = new Navigator(trace, rules);
  }

  /** Withdraws this session's cursor (the language server then shows no stop) and closes the trace. */
  close(): void {
    if (this.cursor) removeCursor(this.cursor);
    this.cursor = undefined;
    this.trace.close();
  }

  /** Stands at a stop's position with fresh variable handles; returns the event there. */
  standAt(position: Position): TraceEvent | undefined {
    this.position = position;
    this.handles.reset();
    return this.trace.event(position.seq);
  }

  /** Writes the cursor sidecar for the event the replay stands at (throws when the file cannot be written). */
  writeCursor(event: TraceEvent): void {
    this.cursor = { trace: this.trace.path, seq: event.seq, thread: event.thread, invocation: event.invocation, writtenAt: Date.now() };
    writeCursor(this.cursor);
  }

  requirePosition(): Position {
    if (!this.position) throw new Error('the replay has not stopped yet');
    return this.position;
  }

  /**
   * Where a thread stands at the cursor: the cursor itself, or that thread's last event before it;
   * undefined when the thread is not running there (not started yet, or already finished).
   */
  seqOfThread(threadId: ThreadId): Seq | undefined {
    const position = this.requirePosition();
    this.requireThread(threadId);
    if (threadId === position.thread) return position.seq;
    if (!this.runningAt(threadId, position.seq)) return undefined;
    return this.trace.next(position.seq + 1, 'backward', { thread: threadId })?.seq;
  }

  /** Whether a thread's recorded life (its first to its last event) spans seq. */
  runningAt(threadId: ThreadId, seq: Seq): boolean {
    const span = this.trace.threadSpans().find((candidate) => candidate.thread === threadId);
    return span !== undefined && span.firstSeq <= seq && seq <= span.lastSeq;
  }

  /** Throws unless the trace has this thread (a client may send any number). */
  requireThread(threadId: ThreadId): void {
    if (typeof threadId !== 'number' || !this.trace.threads().some((thread) => thread.id === threadId)) throw new Error(`there is no thread ${threadId} in this trace`);
  }

  /** The thread's name as recorded (its id when the trace lacks it). */
  threadName(threadId: ThreadId): string {
    return this.trace.threads().find((thread) => thread.id === threadId)?.name ?? String(threadId);
  }

  notRunning(threadId: ThreadId): string {
    const name = this.threadName(threadId);
    const span = this.trace.threadSpans().find((candidate) => candidate.thread === threadId);
    const life = span ? `: it runs from event ${span.firstSeq} to event ${span.lastSeq}` : '';
    return `thread '${name}' is not running at event ${this.requirePosition().seq}${life}`;
  }

  frame(frameId: number): FramePosition {
    const frame = frameFromId(this.trace, frameId, this.position?.seq);
    if (!frame) throw new Error(`frame ${frameId} is not a frame of this trace`);
    return frame;
  }

  topFrame(position: Position): FramePosition {
    return this.frame(position.seq);
  }

  moduleOf(frame: FramePosition): number | undefined {
    const code = this.trace.code(this.trace.invocation(frame.invocation)?.code ?? -1);
    return code && this.trace.moduleInvocationAt(code.file, frame.seq);
  }

  /** Names visible in a frame: its locals at seq, then its module's globals. */
  lookupAt(frame: FramePosition): NameLookup {
    let locals: Map<string, ValueNode> | undefined;
    let globals: Map<string, ValueNode> | undefined;
    return (name) => {
      locals ??= new Map(this.trace.valuesAt(frame.invocation, frame.seq).map((value) => [value.name, value.value]));
      if (locals.has(name)) return locals.get(name);
      const module = this.moduleOf(frame);
      globals ??= new Map(module === undefined ? [] : this.trace.globalsAt(frame.seq, module).map((value) => [value.name, value.value]));
      return globals.get(name);
    };
  }

  /** The names a frame can see: its locals at seq, then its module's globals. */
  namesAt(frame: FramePosition): string[] {
    const module = this.moduleOf(frame);
    const globals = module === undefined ? [] : this.trace.globalsAt(frame.seq, module);
    return [...this.trace.valuesAt(frame.invocation, frame.seq), ...globals].map((value) => value.name);
  }

  exitFacts(event: TraceEvent | undefined): ExitFacts {
    if (event?.kind !== EventKind.Unwind || event.arg === null) return {};
    const exception = this.trace.exception(event.arg);
    return exception ? { exception: { kind: 'repr', type: exception.type, text: `${exception.type}: ${exception.message}` } } : {};
  }
}
