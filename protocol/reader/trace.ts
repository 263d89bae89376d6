// Trace: the one reader façade over a trace file, used by adapter/, lsp/ and cli/. Methods speak
// trace terms and return plain data; each query family lives in its own module and is delegated to.
import * as path from 'node:path';
import type { CodeId, ExceptionId, FileId, InvocationId, Line, Seq, SqlValue, VariableId } from '../schema';
import { chooseBackend, type BackendName, type SqlBackend } from './backend';
import { callChildren, type CallTreeNode } from './callTree';
import { Catalog } from './catalog';
import { timeAt, type EventTime } from './clock';
import { invocationsUpTo, nextRaise, raisesUpTo, type RaiseFilter } from './hits';
import { openTraceBackend } from './open';
import { RaiseSites, type HandledRaises, type PassedFrame } from './raiseSites';
import { countUpTo, event, events, lastSeq, matching, next } from './positions';
import { Sql } from './sql';
import { Stacks } from './stacks';
import { Stats } from './stats';
import { timeline, type TimelineBucket } from './timeline';
import type {
  Code, CodeStats, Direction, EventMatch, ExceptionInfo, Invocation, LineStats, OutputChunk, Page, RaisedType, SourceFile,
  StackFrame, ThreadInfo, ThreadSpan, TraceEvent, TraceSummary, ValueChange, VariableValue,
} from './types';
import { ValueHistory, type VariableHistory } from './valueHistory';
import { Variables } from './variables';

export interface OpenOptions {
  /** Defaults to chooseBackend(): HINDSIGHT_SQLITE, else node:sqlite when this Node has it. */
  backend?: BackendName;
}

export class Trace {
  private readonly sql: Sql;
  private readonly catalog: Catalog;
  private readonly stacks: Stacks;
  private readonly variables: Variables;
  private readonly stats: Stats;
  private readonly valueHistory: ValueHistory;
  private readonly raiseSites: RaiseSites;

  /** Opens a trace; throws TraceOpenError for anything that is not a trace of this schema version. */
  static async open(file: string, options: OpenOptions = {}): Promise<Trace> {
    const absolute = path.resolve(file);
    const backend = await openTraceBackend(absolute, options.backend ?? chooseBackend());
    return new Trace(absolute, backend);
  }

  private constructor(readonly path: string, private readonly backend: SqlBackend) {
    this.sql = new Sql(backend);
    this.catalog = new Catalog(this.sql);
    this.stacks = new Stacks(this.sql, this.catalog);
    this.variables = new Variables(this.sql);
    this.stats = new Stats(this.sql, this.catalog, path);
    this.valueHistory = new ValueHistory(this.sql, this.catalog, this.stacks, this.variables);
    this.raiseSites = new RaiseSites(this.sql, this.catalog);
  }

  get backendName(): BackendName {
    return this.backend.name;
  }

  close(): void {
    this.backend.close();
  }

  // The run.
  meta(): Map<string, SqlValue> { return this.stats.meta(); }
  summary(): TraceSummary { return this.stats.summary(); }

  // Positions.
  event(seq: Seq): TraceEvent | undefined { return event(this.sql, seq); }
  events(first: Seq, last: Seq): TraceEvent[] { return events(this.sql, first, last); }
  lastSeq(): Seq { return lastSeq(this.sql); }
  next(from: Seq, direction: Direction, match: EventMatch): TraceEvent | undefined { return next(this.sql, from, direction, match); }
  countUpTo(upTo: Seq, match: EventMatch): number { return countUpTo(this.sql, upTo, match); }
  matching(match: EventMatch, page: Page): TraceEvent[] { return matching(this.sql, match, page); }

  // Invocations and stacks.
  invocation(id: InvocationId): Invocation | undefined { return this.stacks.invocation(id); }
  invocationsOf(code: CodeId, page?: Page): Invocation[] { return this.stacks.invocationsOf(code, page); }
  children(invocation: InvocationId, page?: Page): Invocation[] { return this.stacks.children(invocation, page); }
  stackAt(seq: Seq): StackFrame[] { return this.stacks.stackAt(seq); }
  threadSpans(): ThreadSpan[] { return this.stacks.threadSpans(); }
  moduleInvocationAt(file: FileId, seq: Seq): InvocationId | undefined { return this.stacks.moduleInvocationAt(file, seq); }

  // Values.
  valuesAt(invocation: InvocationId, seq: Seq): VariableValue[] { return this.variables.valuesAt(invocation, seq); }
  globalsAt(seq: Seq, moduleInvocation: InvocationId): VariableValue[] { return this.variables.globalsAt(seq, moduleInvocation); }
  history(invocation: InvocationId | null, name: string, code: CodeId, page?: Page): ValueChange[] {
    return this.variables.history(invocation, name, code, page);
  }
  historySize(invocation: InvocationId | null, name: string, code: CodeId): number {
    return this.variables.historySize(invocation, name, code);
  }
  historySizeUpTo(name: string, code: CodeId, cap: number): number { return this.variables.historySizeUpTo(name, code, cap); }
  valuesWithLinesAt(invocation: InvocationId, seq: Seq): (VariableValue & { line: Line })[] { return this.variables.valuesWithLinesAt(invocation, seq); }
  nextChange(variable: VariableId, invocation: InvocationId, from: Seq, direction: Direction): Seq | undefined {
    return this.variables.nextChange(variable, invocation, from, direction);
  }
  changesUpTo(variable: VariableId, invocation: InvocationId, upTo: Seq): number { return this.variables.changesUpTo(variable, invocation, upTo); }

  // Files, code, threads, exceptions, output.
  files(): SourceFile[] { return this.catalog.files(); }
  fileByPath(file: string): SourceFile | undefined { return this.catalog.fileByPath(file); }
  source(file: FileId): string | null { return this.catalog.source(file); }
  code(id: CodeId): Code | undefined { return this.catalog.code(id); }
  codesIn(file: FileId): Code[] { return this.catalog.codesIn(file); }
  codesNamed(qualname: string): Code[] { return this.catalog.codesNamed(qualname); }
  codesWithVariable(name: string): Code[] { return this.catalog.codesWithVariable(name); }
  threads(): ThreadInfo[] { return this.catalog.threads(); }
  exception(id: ExceptionId): ExceptionInfo | undefined { return this.catalog.exception(id); }
  exceptions(page?: Page): ExceptionInfo[] { return this.catalog.exceptions(page); }
  outputUpTo(seq: Seq, page?: Page): OutputChunk[] { return this.catalog.outputUpTo(seq, page); }

  // Exceptions by the file they were raised in (diagnostics).
  uncaughtIn(file: FileId): ExceptionInfo[] { return this.raiseSites.uncaughtIn(file); }
  passedFrames(exception: ExceptionId): PassedFrame[] { return this.raiseSites.passedFrames(exception); }
  handledIn(file: FileId): HandledRaises[] { return this.raiseSites.handledIn(file); }

  // Breakpoint hits: raises and invocations, either way, and how many up to a seq.
  nextRaise(from: Seq, direction: Direction, filter: RaiseFilter): ExceptionId | undefined { return nextRaise(this.sql, from, direction, filter); }
  raisesUpTo(upTo: Seq, filter: RaiseFilter): number { return raisesUpTo(this.sql, upTo, filter); }
  invocationsUpTo(code: CodeId, upTo: Seq): number { return invocationsUpTo(this.sql, code, upTo); }

  // Aggregates.
  codeStats(file: FileId): CodeStats[] { return this.stats.codeStats(file); }
  lineStats(file: FileId): LineStats[] { return this.stats.lineStats(file); }
  raisedBy(code: CodeId): RaisedType[] { return this.stats.raisedBy(code); }

  // Overviews for inspection requests (timeline, call tree, a variable's history, an event's time).
  timeline(first: Seq, last: Seq, buckets: number, lines: readonly { file: FileId; line: Line }[]): TimelineBucket[] {
    return timeline(this.sql, first, last, buckets, lines);
  }
  callChildren(parent: InvocationId | null, page: Page): { nodes: CallTreeNode[]; total: number } { return callChildren(this.sql, parent, page); }
  variableHistory(invocation: InvocationId, seq: Seq, name: string, page: Page): VariableHistory | undefined {
    return this.valueHistory.of(invocation, seq, name, page);
  }
  timeAt(seq: Seq): EventTime | undefined { return timeAt(this.sql, seq); }
}
