// The trace format in TypeScript terms: the DDL (schema.sql, finish.sql) as text, the schema version
// parsed from it, event kinds, typed ids and one row type per table. schema.sql stays the definition.
import schemaSql from './schema.sql';
import finishSql from './finish.sql';

export const SCHEMA_SQL: string = schemaSql;
export const FINISH_SQL: string = finishSql;

/** The `PRAGMA user_version` of schema.sql: the one schema version number. */
export const SCHEMA_VERSION: number = parseSchemaVersion(SCHEMA_SQL);

/** meta.format of every Hindsight trace. */
export const TRACE_FORMAT = 'hindsight-trace';

/** Global event number: dense from 1, in recording order across threads. */
export type Seq = number;
export type FileId = number;
export type CodeId = number;
export type ThreadId = number;
export type InvocationId = number;
export type VariableId = number;
export type ExceptionId = number;
/** 1-based, as CPython reports lines. */
export type Line = number;
/** Nanoseconds since the recording started. */
export type Nanoseconds = number;

export enum EventKind {
  Line = 0,
  Call = 1,
  Return = 2,
  Exception = 3,
  Unwind = 4,
  Yield = 5,
  Resume = 6,
}

export type CodeKind = 'module' | 'class' | 'function' | 'generator' | 'coroutine' | 'async_generator';

/** meta.status: see LIFECYCLE in schema.sql. */
export type TraceStatus = 'recording' | 'complete' | 'truncated' | 'incomplete';

export enum OutputStream {
  Stdout = 1,
  Stderr = 2,
}

/** A value as SQLite hands it over (both backends return numbers for INTEGER and REAL). */
export type SqlValue = number | string | Uint8Array | null;

export interface MetaRow { key: string; value: SqlValue }
export interface FileRow { id: FileId; path: string; origin: 'file' | 'archive' | 'string'; sha256: string | null; source: string | null; missing: string | null }
export interface CodeRow { id: CodeId; file: FileId; name: string; qualname: string; first_line: Line; kind: CodeKind }
export interface ThreadRow { id: ThreadId; ident: number; name: string }
export interface InvocationRow {
  id: InvocationId;
  parent: InvocationId | null;
  thread: ThreadId;
  code: CodeId;
  depth: number;
  first_seq: Seq;
  last_seq: Seq | null;
  end_kind: EventKind | null;
  t_start: Nanoseconds | null;
  t_end: Nanoseconds | null;
}
export interface EventRow { seq: Seq; invocation: InvocationId; line: Line; kind: EventKind; arg: number | null; t: Nanoseconds | null }
export interface VariableRow { id: VariableId; code: CodeId; name: string }
export interface ValueChangeRow { seq: Seq; variable: VariableId; invocation: InvocationId; value: SqlValue }
export interface ExceptionRow {
  id: ExceptionId;
  type: string;
  message: string;
  raised_seq: Seq;
  caught_seq: Seq | null;
  escaped_seq: Seq | null;
  uncaught: 0 | 1;
}
export interface OutputRow { id: number; seq: Seq; stream: OutputStream; text: string }
export interface CodeStatsRow {
  code: CodeId;
  calls: number;
  raised: number;
  total_ns: Nanoseconds;
  max_ns: Nanoseconds;
  slowest: InvocationId | null;
  first: InvocationId;
  first_raised: InvocationId | null;
}
export interface LineStatsRow { file: FileId; line: Line; hits: number }

/** The pseudo-variables holding a RETURN's and a YIELD's value. */
export const RETURN_VARIABLE = '<return>';
export const YIELD_VARIABLE = '<yield>';

function parseSchemaVersion(sql: string): number {
  const match = /^PRAGMA user_version = (\d+);$/m.exec(sql);
  if (!match?.[1]) throw new Error('protocol/schema.sql has no `PRAGMA user_version = N;` line');
  return Number(match[1]);
}
