// When an event happened. LINE events carry no time of their own (schema.sql), so for them the time
// is that of the latest timed event before: a lower bound, said as such. Found within the event's
// 256-event block, else through chunk_stats' last timed event of the nearest earlier block.
import type { Nanoseconds, Seq } from '../schema';
import type { SqlRow } from './backend';
import { int, type Sql } from './sql';
import { CHUNK, chunkStatsBuilt } from './timeline';

export interface EventTime {
  /** Nanoseconds since the recording started. */
  ns: Nanoseconds;
  /** False when the event has no time of its own and `ns` is the latest time recorded before it. */
  exact: boolean;
}

const LATEST_TIMED = 'SELECT seq, t FROM event WHERE seq BETWEEN ? AND ? AND t IS NOT NULL ORDER BY seq DESC LIMIT 1';

/** The time of the event at seq; undefined when no event at or before it has a time. */
export function timeAt(sql: Sql, seq: Seq): EventTime | undefined {
  const blockStart = seq - (seq % CHUNK);
  // A trace still being written has no chunk_stats yet: then walk back through the events.
  const row = sql.get(LATEST_TIMED, blockStart, seq)
    ?? (chunkStatsBuilt(sql) ? latestTimedBefore(sql, blockStart / CHUNK) : sql.get(LATEST_TIMED, 0, seq));
  return row ? { ns: int(row.t), exact: int(row.seq) === seq } : undefined;
}

/** The last timed event of the nearest block before `chunk` that has one. */
function latestTimedBefore(sql: Sql, chunk: number): SqlRow | undefined {
  const seq = sql.get(`SELECT max(last_timed_seq) AS seq FROM chunk_stats WHERE chunk = (SELECT chunk FROM chunk_stats
    WHERE chunk < ? AND last_timed_seq IS NOT NULL ORDER BY chunk DESC LIMIT 1)`, chunk)?.seq;
  return seq === null || seq === undefined ? undefined : sql.get(LATEST_TIMED, int(seq), int(seq));
}
