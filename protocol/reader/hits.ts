// Where breakpoints other than lines hit, and how often up to a seq (absolute hit counts): exception
// raises (exception_by_raise) and a code's invocations (invocation_by_code), found in either direction.
import type { CodeId, ExceptionId, Seq } from '../schema';
import { int, type Sql } from './sql';
import type { Direction } from './types';

/** Which raises an exception filter takes: every one, or only those the program died of. */
export type RaiseFilter = 'raised' | 'uncaught';

const UNCAUGHT_ONLY: Record<RaiseFilter, number> = { raised: 0, uncaught: 1 };

/** The nearest exception raised strictly after (before) `from` that the filter takes. */
export function nextRaise(sql: Sql, from: Seq, direction: Direction, filter: RaiseFilter): ExceptionId | undefined {
  const [comparison, order] = direction === 'forward' ? ['>', 'ASC'] : ['<', 'DESC'];
  const row = sql.get(`SELECT id FROM exception WHERE raised_seq ${comparison} ? AND uncaught >= ? ORDER BY raised_seq ${order} LIMIT 1`,
    from, UNCAUGHT_ONLY[filter]);
  return row ? int(row.id) : undefined;
}

/** How many exceptions the filter takes were raised at or before `upTo`. */
export function raisesUpTo(sql: Sql, upTo: Seq, filter: RaiseFilter): number {
  return int(sql.get('SELECT count(*) AS n FROM exception WHERE raised_seq <= ? AND uncaught >= ?', upTo, UNCAUGHT_ONLY[filter])?.n);
}

/** How many invocations of a code started (CALL) at or before `upTo`. */
export function invocationsUpTo(sql: Sql, code: CodeId, upTo: Seq): number {
  return int(sql.get('SELECT count(*) AS n FROM invocation WHERE code = ? AND first_seq <= ?', code, upTo)?.n);
}
