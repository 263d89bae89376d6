// The timeline: a seq range cut into buckets, each summarised exactly (no sampling): deepest invocation,
// exceptions raised, executions of given lines, and the dominant code. Whole 256-event blocks come from
// finish.sql's chunk_stats; only the events of blocks cut by a bucket edge are read one by one.
import type { CodeId, FileId, Line, Seq } from '../schema';
import { int, type Sql } from './sql';

export interface TimelineBucket {
  firstSeq: Seq;
  lastSeq: Seq;
  /** The greatest invocation depth among the bucket's events (0 = a root frame such as the module). */
  maxDepth: number;
  /** Exceptions raised in the bucket (their first EXCEPTION event lies in it). */
  exceptions: number;
  /** LINE events in the bucket at any of the given locations. */
  lineHits: number;
  /** The code that ran the most events of the bucket (the exact mode; a tie goes to the code that ran first). */
  dominantCode: CodeId;
  /** How many of the bucket's events that code ran. */
  dominantEvents: number;
}

/** chunk_stats' block size, as `seq >> 8` in finish.sql. */
const CHUNK = 256;

/** One code's share of one bucket: its events and the first of them. */
interface Tally {
  events: number;
  first: Seq;
}

/**
 * `count` buckets (fewer when the range has fewer events) over the events first..last. Bucket k
 * holds the seqs s with floor((s - first) * n / span) = k, the bucket index every query computes.
 */
export function timeline(sql: Sql, first: Seq, last: Seq, count: number, lines: readonly { file: FileId; line: Line }[]): TimelineBucket[] {
  if (last < first) return [];
  const span = last - first + 1;
  const n = Math.min(count, span);
  // The bucket index in SQL, with its parameters (first, n, span) passed first.
  const bucketOf = (column: string) => `((${column} - ?) * ? / ?)`;
  const cut = [first, n, span];
  const starts = Array.from({ length: n + 1 }, (_, k) => first + Math.ceil((k * span) / n));
  const tallies = starts.slice(0, n).map(() => new Map<CodeId, Tally>());
  const depths = starts.slice(0, n).map(() => 0);
  const add = (rows: ReturnType<Sql['all']>) => {
    for (const row of rows) {
      const b = int(row.b);
      const tally = tallies[b]?.get(int(row.code)) ?? { events: 0, first: Infinity };
      tally.events += int(row.n);
      tally.first = Math.min(tally.first, int(row.first));
      tallies[b]?.set(int(row.code), tally);
      depths[b] = Math.max(depths[b] ?? 0, int(row.depth));
    }
  };
  const eventsIn = (from: Seq, to: Seq) => add(sql.all(`SELECT ${bucketOf('e.seq')} AS b, i.code, count(*) AS n, max(i.depth) AS depth,
    min(e.seq) AS first FROM event e JOIN invocation i ON i.id = e.invocation WHERE e.seq BETWEEN ? AND ? GROUP BY b, i.code`, ...cut, from, to));
  if (span < n * 2 * CHUNK || !finished(sql)) {
    // Buckets of a few blocks or less (or a trace still being written): the events themselves.
    eventsIn(first, last);
  } else {
    const firstWhole = Math.ceil(first / CHUNK);
    const lastWhole = Math.floor((last + 1) / CHUNK) - 1;
    add(sql.all(`SELECT ${bucketOf('chunk * 256')} AS b, code, sum(events) AS n, max(max_depth) AS depth, min(first_seq) AS first
      FROM chunk_stats WHERE chunk BETWEEN ? AND ? AND ${bucketOf('chunk * 256')} = ${bucketOf('chunk * 256 + 255')} GROUP BY b, code`,
    ...cut, firstWhole, lastWhole, ...cut, ...cut));
    // The rest: blocks cut by a bucket's start, or only partly inside the range.
    const partial = new Set(starts.slice(1, n).filter((start) => start % CHUNK !== 0).map((start) => Math.floor(start / CHUNK)));
    if (first % CHUNK !== 0) partial.add(Math.floor(first / CHUNK));
    if ((last + 1) % CHUNK !== 0) partial.add(Math.floor(last / CHUNK));
    for (const chunk of partial) eventsIn(Math.max(first, chunk * CHUNK), Math.min(last, chunk * CHUNK + CHUNK - 1));
  }
  const buckets = starts.slice(0, n).map((start, k): TimelineBucket => {
    let dominantCode = 0;
    let best: Tally = { events: 0, first: Infinity };
    for (const [code, tally] of tallies[k] ?? []) {
      if (tally.events > best.events || (tally.events === best.events && tally.first < best.first)) [dominantCode, best] = [code, tally];
    }
    return {
      firstSeq: start, lastSeq: (starts[k + 1] ?? last + 1) - 1, maxDepth: depths[k] ?? 0, exceptions: 0, lineHits: 0,
      dominantCode, dominantEvents: best.events,
    };
  });
  const raised = sql.all(`SELECT ${bucketOf('raised_seq')} AS b, count(*) AS n FROM exception
    WHERE raised_seq BETWEEN ? AND ? GROUP BY b`, ...cut, first, last);
  for (const row of raised) at(buckets, int(row.b)).exceptions += int(row.n);
  for (const { file, line } of distinct(lines)) {
    const hits = sql.all(`SELECT ${bucketOf('e.seq')} AS b, count(*) AS n FROM event e JOIN invocation i ON i.id = e.invocation
      WHERE e.line = ? AND e.kind = 0 AND e.seq BETWEEN ? AND ? AND i.code IN (SELECT id FROM code WHERE file = ?) GROUP BY b`,
    ...cut, line, first, last, file);
    for (const row of hits) at(buckets, int(row.b)).lineHits += int(row.n);
  }
  return buckets;
}

/** chunk_stats exists once finish.sql ran: in every state but 'recording' (LIFECYCLE in schema.sql). */
function finished(sql: Sql): boolean {
  return sql.get("SELECT value FROM meta WHERE key = 'status'")?.value !== 'recording';
}

function at(buckets: TimelineBucket[], index: number): TimelineBucket {
  const bucket = buckets[index];
  if (!bucket) throw new Error(`timeline bucket ${index} is out of range`);
  return bucket;
}

function distinct(lines: readonly { file: FileId; line: Line }[]): { file: FileId; line: Line }[] {
  return [...new Map(lines.map((location) => [`${location.file}:${location.line}`, location])).values()];
}
