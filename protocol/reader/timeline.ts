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
export const CHUNK = 256;

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
  const cut: Cut = { first, last, n: Math.min(count, span), span };
  const starts = Array.from({ length: cut.n + 1 }, (_, k) => first + Math.ceil((k * span) / cut.n));
  const shares = codeShares(sql, cut, starts);
  const buckets = shares.map(({ tallies, maxDepth }, k): TimelineBucket => {
    let dominantCode = 0;
    let best: Tally = { events: 0, first: Infinity };
    for (const [code, tally] of tallies) {
      if (tally.events > best.events || (tally.events === best.events && tally.first < best.first)) [dominantCode, best] = [code, tally];
    }
    return {
      firstSeq: starts[k] ?? first, lastSeq: (starts[k + 1] ?? last + 1) - 1, maxDepth, exceptions: 0, lineHits: 0,
      dominantCode, dominantEvents: best.events,
    };
  });
  const raised = sql.all(`SELECT ${BUCKET_OF('raised_seq')} AS b, count(*) AS n FROM exception
    WHERE raised_seq BETWEEN ? AND ? GROUP BY b`, ...params(cut), first, last);
  for (const row of raised) at(buckets, int(row.b)).exceptions += int(row.n);
  for (const { file, line } of distinct(lines)) {
    const hits = sql.all(`SELECT ${BUCKET_OF('e.seq')} AS b, count(*) AS n FROM event e JOIN invocation i ON i.id = e.invocation
      WHERE e.line = ? AND e.kind = 0 AND e.seq BETWEEN ? AND ? AND i.code IN (SELECT id FROM code WHERE file = ?) GROUP BY b`,
    ...params(cut), line, first, last, file);
    for (const row of hits) at(buckets, int(row.b)).lineHits += int(row.n);
  }
  return buckets;
}

/** A range cut into n buckets: first..last, span = last - first + 1 events. */
interface Cut {
  first: Seq;
  last: Seq;
  n: number;
  span: number;
}

/**
 * The bucket index of a seq column in SQL; its parameters are params(cut), passed first. Cast, since
 * a backend may bind a JS number as REAL, which would make the division fractional.
 */
const BUCKET_OF = (column: string) => `((${column} - CAST(? AS INTEGER)) * CAST(? AS INTEGER) / CAST(? AS INTEGER))`;

function params(cut: Cut): number[] {
  return [cut.first, cut.n, cut.span];
}

/** Per bucket, each code's events and the deepest depth: whole blocks from chunk_stats, the events of the others. */
function codeShares(sql: Sql, cut: Cut, starts: Seq[]): { tallies: Map<CodeId, Tally>; maxDepth: number }[] {
  const shares = starts.slice(0, cut.n).map(() => ({ tallies: new Map<CodeId, Tally>(), maxDepth: 0 }));
  const add = (rows: ReturnType<Sql['all']>) => {
    for (const row of rows) {
      const share = shares[int(row.b)];
      if (!share) throw new Error(`timeline bucket ${int(row.b)} is out of range`);
      const tally = share.tallies.get(int(row.code)) ?? { events: 0, first: Infinity };
      tally.events += int(row.n);
      tally.first = Math.min(tally.first, int(row.first));
      share.tallies.set(int(row.code), tally);
      share.maxDepth = Math.max(share.maxDepth, int(row.depth));
    }
  };
  const eventsIn = (from: Seq, to: Seq) => add(sql.all(`SELECT ${BUCKET_OF('e.seq')} AS b, i.code, count(*) AS n, max(i.depth) AS depth,
    min(e.seq) AS first FROM event e JOIN invocation i ON i.id = e.invocation WHERE e.seq BETWEEN ? AND ? GROUP BY b, i.code`,
  ...params(cut), from, to));
  if (cut.span < cut.n * 2 * CHUNK || !chunkStatsBuilt(sql)) {
    // Buckets of a few blocks or less (or a trace still being written): the events themselves.
    eventsIn(cut.first, cut.last);
    return shares;
  }
  add(sql.all(`SELECT ${BUCKET_OF('chunk * 256')} AS b, code, sum(events) AS n, max(max_depth) AS depth, min(first_seq) AS first
    FROM chunk_stats WHERE chunk BETWEEN ? AND ? AND ${BUCKET_OF('chunk * 256')} = ${BUCKET_OF('chunk * 256 + 255')} GROUP BY b, code`,
  ...params(cut), Math.ceil(cut.first / CHUNK), Math.floor((cut.last + 1) / CHUNK) - 1, ...params(cut), ...params(cut)));
  // The rest: blocks cut by a bucket's start, or only partly inside the range.
  const partial = new Set(starts.slice(1, cut.n).filter((start) => start % CHUNK !== 0).map((start) => Math.floor(start / CHUNK)));
  if (cut.first % CHUNK !== 0) partial.add(Math.floor(cut.first / CHUNK));
  if ((cut.last + 1) % CHUNK !== 0) partial.add(Math.floor(cut.last / CHUNK));
  for (const chunk of partial) eventsIn(Math.max(cut.first, chunk * CHUNK), Math.min(cut.last, chunk * CHUNK + CHUNK - 1));
  return shares;
}

/** chunk_stats exists once finish.sql ran: in every state but 'recording' (LIFECYCLE in schema.sql). */
export function chunkStatsBuilt(sql: Sql): boolean {
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
