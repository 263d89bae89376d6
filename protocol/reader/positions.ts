// Positions in the trace: events by seq, the last seq, and `next`, the search every navigation
// builds on (the nearest event after or before a seq that matches), answered from finish.sql's indexes.
import { EventKind, type CodeId, type InvocationId, type Seq } from '../schema';
import type { SqlParam } from './backend';
import { EVENT_SELECT, toEvent } from './rows';
import type { Sql } from './sql';
import type { Direction, EventMatch, Page, TraceEvent } from './types';

export function event(sql: Sql, seq: Seq): TraceEvent | undefined {
  const row = sql.get(`${EVENT_SELECT} WHERE e.seq = ?`, seq);
  return row && toEvent(row);
}

/** The events from seq `first` to seq `last`, both included, in order. */
export function events(sql: Sql, first: Seq, last: Seq): TraceEvent[] {
  return sql.all(`${EVENT_SELECT} WHERE e.seq BETWEEN ? AND ? ORDER BY e.seq`, first, last).map(toEvent);
}

/** The last seq recorded (0 for a trace with no events). */
export function lastSeq(sql: Sql): Seq {
  return Number(sql.get('SELECT max(seq) AS seq FROM event')?.seq ?? 0);
}

/**
 * The nearest event strictly after (forward) or before (backward) `from` that matches every field
 * of `match`. Answered from finish.sql's indexes: event_by_invocation, event_by_line (one seek per kind), event_by_arg
 * when the match names an invocation, a line or an exception; exception_event_by_seq for EXCEPTION
 * and UNWIND kinds; invocation_by_code for a code's CALL events; a frame's exits from its last
 * event (invocation.last_seq) unless it can yield. A match on thread or other kinds
 * alone walks seq order from `from`, and a code with other kinds reads that code's events.
 */
export function next(sql: Sql, from: Seq, direction: Direction, match: EventMatch): TraceEvent | undefined {
  if (isCodeEntry(match)) return nextCodeEntry(sql, from, direction, match);
  if (match.location && match.kinds?.length !== 1) return nearestOfEachKind(sql, from, direction, match);
  const [where, params] = matchWhere(match);
  where.unshift(direction === 'forward' ? 'e.seq > ?' : 'e.seq < ?');
  params.unshift(from);
  if (isFrameExit(match)) {
    // Searched from the frame's last event on (one index seek), not through every event of a
    // long-running frame such as main's loop. The forward bound folds into `e.seq > ?` because
    // SQLite seeks an index with one lower bound only.
    if (direction === 'forward') where[0] = `e.seq > max(?, ${EXITS_FROM} - 1)`;
    else where.push(`e.seq >= ${EXITS_FROM}`);
    params.splice(direction === 'forward' ? 1 : params.length, 0, match.invocation);
  }
  const order = direction === 'forward' ? 'ASC' : 'DESC';
  const row = sql.get(`${EVENT_SELECT} WHERE ${where.join(' AND ')} ORDER BY e.seq ${order} LIMIT 1`, ...params);
  return row && toEvent(row);
}

/** The events that match, in seq order, a page at a time (e.g. every execution of a line). */
export function matching(sql: Sql, match: EventMatch, page: Page): TraceEvent[] {
  const [where, params] = matchWhere(match);
  return sql.all(`${EVENT_SELECT} WHERE ${where.join(' AND ')} ORDER BY e.seq LIMIT ? OFFSET ?`, ...params, page.limit, page.offset)
    .map(toEvent);
}

/**
 * A line's events of several kinds: event_by_line is ordered by (line, kind, seq), so one seek per
 * kind and the nearest wins (one query over all kinds would sort every event of the line).
 */
function nearestOfEachKind(sql: Sql, from: Seq, direction: Direction, match: EventMatch): TraceEvent | undefined {
  const kinds = match.kinds ?? ALL_KINDS;
  const found = kinds.map((kind) => next(sql, from, direction, { ...match, kinds: [kind] }))
    .filter((event): event is TraceEvent => event !== undefined);
  const sign = direction === 'forward' ? 1 : -1;
  return found.sort((a, b) => sign * (a.seq - b.seq))[0];
}

const ALL_KINDS = Object.values(EventKind).filter((kind): kind is EventKind => typeof kind === 'number');

/** How many events at or before `upTo` match (e.g. the executions of a line so far: a breakpoint's hit count). */
export function countUpTo(sql: Sql, upTo: Seq, match: EventMatch): number {
  const [where, params] = matchWhere(match);
  const row = sql.get(`SELECT count(*) AS n FROM event e JOIN invocation i ON i.id = e.invocation WHERE e.seq <= ? AND ${where.join(' AND ')}`,
    upTo, ...params);
  return Number(row?.n ?? 0);
}

/** The SQL conditions (on event e joined to invocation i) for every given field of `match`. */
function matchWhere(match: EventMatch): [string[], SqlParam[]] {
  const where: string[] = ['1'];
  const params: SqlParam[] = [];
  const add = (condition: string, ...values: SqlParam[]) => {
    where.push(condition);
    params.push(...values);
  };
  if (match.invocation !== undefined) add('e.invocation = ?', match.invocation);
  if (match.thread !== undefined) add('i.thread = ?', match.thread);
  if (match.code !== undefined) add('i.code = ?', match.code);
  if (match.location) add('e.line = ? AND i.code IN (SELECT id FROM code WHERE file = ?)', match.location.line, match.location.file);
  if (match.exception !== undefined) add('e.arg = ?', match.exception);
  if (match.kinds) add(`e.kind IN (${kindList(match.kinds)})`);
  if (match.kinds?.every((kind) => kind === EventKind.Exception || kind === EventKind.Unwind)) add('e.arg IS NOT NULL');
  return [where, params];
}

const EXIT_KINDS: ReadonlySet<EventKind> = new Set([EventKind.Return, EventKind.Unwind, EventKind.Yield]);

/**
 * Where a frame's exits can be: a RETURN or UNWIND is the frame's last event (invocation.last_seq);
 * only a generator or coroutine yields, so for one of those it is anywhere (0).
 */
const EXITS_FROM = `(SELECT CASE WHEN c.kind IN ('generator', 'coroutine', 'async_generator') THEN 0 ELSE coalesce(x.last_seq, 0) END
  FROM invocation x JOIN code c ON c.id = x.code WHERE x.id = ?)`;

/** A search for the exit of one frame: its RETURN, UNWIND or YIELD events only. */
function isFrameExit(match: EventMatch): match is EventMatch & { invocation: InvocationId } {
  return match.invocation !== undefined && match.kinds !== undefined && match.kinds.length > 0
    && match.kinds.every((kind) => EXIT_KINDS.has(kind));
}

/** Only a code's CALL events (a function breakpoint): its invocations' first events. */
function isCodeEntry(match: EventMatch): match is EventMatch & { code: CodeId } {
  const { code, kinds, invocation, location, exception } = match;
  return code !== undefined && kinds?.length === 1 && kinds[0] === EventKind.Call
    && invocation === undefined && location === undefined && exception === undefined;
}

function nextCodeEntry(sql: Sql, from: Seq, direction: Direction, match: EventMatch & { code: CodeId }): TraceEvent | undefined {
  const [comparison, order] = direction === 'forward' ? ['>', 'ASC'] : ['<', 'DESC'];
  const thread = match.thread === undefined ? '' : ' AND thread = ?';
  const params = match.thread === undefined ? [match.code, from] : [match.code, from, match.thread];
  const row = sql.get(`SELECT first_seq FROM invocation WHERE code = ? AND first_seq ${comparison} ?${thread} ORDER BY first_seq ${order} LIMIT 1`, ...params);
  return row ? event(sql, Number(row.first_seq)) : undefined;
}

/** Kinds are inlined (sorted, deduplicated) so the planner sees them; they are enum integers only. */
function kindList(kinds: readonly EventKind[]): string {
  const valid = [...new Set(kinds)].filter((kind) => EventKind[kind] !== undefined).sort((a, b) => a - b);
  return valid.length ? valid.join(', ') : 'NULL';
}
