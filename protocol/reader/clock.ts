// When an event happened. LINE events carry no time of their own (schema.sql), so for them the time
// is that of the latest timed event before: a lower bound, said as such.
import type { Nanoseconds, Seq } from '../schema';
import { int, type Sql } from './sql';

export interface EventTime {
  /** Nanoseconds since the recording started. */
  ns: Nanoseconds;
  /** False when the event has no time of its own and `ns` is the latest time recorded before it. */
  exact: boolean;
}

/** The time of the event at seq; undefined when no event at or before it has a time. */
export function timeAt(sql: Sql, seq: Seq): EventTime | undefined {
  const row = sql.get('SELECT seq, t FROM event WHERE seq <= ? AND t IS NOT NULL ORDER BY seq DESC LIMIT 1', seq);
  return row ? { ns: int(row.t), exact: int(row.seq) === seq } : undefined;
}
