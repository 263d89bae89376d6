// The timeline: a seq range cut into buckets, each summarised by SQL aggregation over its events (no
// sampling): deepest invocation, exceptions raised, executions of given lines, and the dominant code.
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

/**
 * `count` buckets (fewer when the range has fewer events) over the events first..last. Bucket k
 * holds the seqs s with floor((s - first) * n / span) = k, so each aggregate is one GROUP BY over
 * the range: the event rows in seq order joined to their invocation by primary key.
 */
export function timeline(sql: Sql, first: Seq, last: Seq, count: number, lines: readonly { file: FileId; line: Line }[]): TimelineBucket[] {
  if (last < first) return [];
  const span = last - first + 1;
  const n = Math.min(count, span);
  // The bucket index in SQL, with its parameters (first, n, span) passed first.
  const bucketOf = (column: string) => `((${column} - ?) * ? / ?)`;
  const cut = [first, n, span];
  const buckets: TimelineBucket[] = [];
  for (let k = 0; k < n; k++) {
    const start = first + Math.ceil((k * span) / n);
    const end = first + Math.ceil(((k + 1) * span) / n) - 1;
    buckets.push({ firstSeq: start, lastSeq: end, maxDepth: 0, exceptions: 0, lineHits: 0, dominantCode: 0, dominantEvents: 0 });
  }
  const firstRun = new Map<number, Seq>();
  const codes = sql.all(`SELECT ${bucketOf('e.seq')} AS b, i.code, count(*) AS n, max(i.depth) AS depth, min(e.seq) AS first
    FROM event e JOIN invocation i ON i.id = e.invocation WHERE e.seq BETWEEN ? AND ? GROUP BY b, i.code`, ...cut, first, last);
  for (const row of codes) {
    const bucket = at(buckets, int(row.b));
    const events = int(row.n);
    const ranFirst = int(row.first);
    bucket.maxDepth = Math.max(bucket.maxDepth, int(row.depth));
    if (events > bucket.dominantEvents || (events === bucket.dominantEvents && ranFirst < (firstRun.get(int(row.b)) ?? Infinity))) {
      bucket.dominantCode = int(row.code);
      bucket.dominantEvents = events;
      firstRun.set(int(row.b), ranFirst);
    }
  }
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

function at(buckets: TimelineBucket[], index: number): TimelineBucket {
  const bucket = buckets[index];
  if (!bucket) throw new Error(`timeline bucket ${index} is out of range`);
  return bucket;
}

function distinct(lines: readonly { file: FileId; line: Line }[]): { file: FileId; line: Line }[] {
  return [...new Map(lines.map((location) => [`${location.file}:${location.line}`, location])).values()];
}
