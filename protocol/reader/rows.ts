// Column lists and row mappers shared by the query modules: one place that turns event, invocation
// and code rows into the reader's plain data.
import type { CodeKind, EventKind } from '../schema';
import type { SqlRow } from './backend';
import { int, intOrNull, text } from './sql';
import type { Code, Invocation, TraceEvent } from './types';

/** Events joined with their invocation (for thread and code); alias e for event, i for invocation. */
export const EVENT_SELECT =
  'SELECT e.seq, e.invocation, e.line, e.kind, e.arg, e.t, i.thread, i.code FROM event e JOIN invocation i ON i.id = e.invocation';

export function toEvent(row: SqlRow): TraceEvent {
  return {
    seq: int(row.seq),
    invocation: int(row.invocation),
    line: int(row.line),
    kind: int(row.kind) as EventKind,
    arg: intOrNull(row.arg),
    t: intOrNull(row.t),
    thread: int(row.thread),
    code: int(row.code),
  };
}

export const INVOCATION_SELECT =
  'SELECT id, parent, thread, code, depth, first_seq, last_seq, end_kind, t_start, t_end FROM invocation';

export function toInvocation(row: SqlRow): Invocation {
  return {
    id: int(row.id),
    parent: intOrNull(row.parent),
    thread: int(row.thread),
    code: int(row.code),
    depth: int(row.depth),
    firstSeq: int(row.first_seq),
    lastSeq: intOrNull(row.last_seq),
    endKind: intOrNull(row.end_kind) as EventKind | null,
    tStart: intOrNull(row.t_start),
    tEnd: intOrNull(row.t_end),
  };
}

/** Code objects with their file's path; alias c for code, f for file. */
export const CODE_SELECT =
  'SELECT c.id, c.file, f.path, c.name, c.qualname, c.first_line, c.kind FROM code c JOIN file f ON f.id = c.file';

export function toCode(row: SqlRow): Code {
  return {
    id: int(row.id),
    file: int(row.file),
    path: text(row.path),
    name: text(row.name),
    qualname: text(row.qualname),
    firstLine: int(row.first_line),
    kind: text(row.kind) as CodeKind,
  };
}
