// The run at a glance: meta facts and counts (summary), and finish.sql's per-code and per-line
// aggregates, which CodeLens, hovers and "never executed" fading read.
import { EventKind, type CodeId, type FileId, type SqlValue, type TraceStatus } from '../schema';
import type { Catalog } from './catalog';
import { int, intOrNull, type Sql } from './sql';
import type { CodeStats, LineStats, RaisedType, TraceSummary } from './types';

export class Stats {
  constructor(private readonly sql: Sql, private readonly catalog: Catalog, private readonly path: string) {}

  /** Every meta key with its value as stored. */
  meta(): Map<string, SqlValue> {
    return new Map(this.sql.all('SELECT key, value FROM meta').map((row) => [String(row.key), row.value ?? null]));
  }

  summary(): TraceSummary {
    const meta = this.meta();
    const textOf = (key: string) => (meta.get(key) ?? null) === null ? null : String(meta.get(key));
    const numberOf = (key: string) => {
      const value = Number(meta.get(key) ?? Number.NaN);
      return Number.isFinite(value) ? value : null;
    };
    const counts = this.sql.get(`SELECT
      (SELECT max(seq) FROM event) AS events,
      (SELECT count(*) FROM invocation) AS invocations,
      (SELECT count(*) FROM exception) AS exceptions,
      (SELECT count(*) FROM exception WHERE uncaught = 1) AS uncaught,
      (SELECT count(*) FROM thread) AS threads,
      (SELECT count(*) FROM file) AS files`);
    return {
      path: this.path,
      status: (textOf('status') ?? 'recording') as TraceStatus,
      endReason: textOf('end_reason'),
      program: textOf('program'),
      argv: parseList(textOf('argv')),
      cwd: textOf('cwd'),
      pythonVersion: textOf('python_version'),
      pythonExecutable: textOf('python_executable'),
      tracer: textOf('tracer'),
      tracerReason: textOf('tracer_reason'),
      recorderVersion: textOf('recorder_version'),
      startedAt: numberOf('started_at'),
      endedAt: numberOf('ended_at'),
      exitCode: numberOf('exit_code'),
      exitSignal: numberOf('exit_signal'),
      truncated: numberOf('truncated') === 1,
      maxEvents: numberOf('max_events') ?? 0,
      events: intOrNull(counts?.events) ?? 0,
      invocations: int(counts?.invocations),
      exceptions: int(counts?.exceptions),
      uncaughtExceptions: int(counts?.uncaught),
      threads: int(counts?.threads),
      files: int(counts?.files),
    };
  }

  /** finish.sql's per-code aggregates for the code objects of a file, by first line. */
  codeStats(file: FileId): CodeStats[] {
    const rows = this.sql.all(
      `SELECT s.code, s.calls, s.raised, s.total_ns, s.max_ns, s.slowest, s.first, s.first_raised,
        (SELECT count(*) FROM invocation i WHERE i.code = s.code AND i.t_end IS NULL) AS untimed
       FROM code_stats s JOIN code c ON c.id = s.code WHERE c.file = ? ORDER BY c.first_line, c.id`, file);
    return rows.map((row) => {
      const code = this.catalog.code(int(row.code));
      if (!code) throw new Error(`code_stats names code ${String(row.code)}, which the trace lacks`);
      return {
        code,
        calls: int(row.calls),
        raised: int(row.raised),
        timed: int(row.calls) - int(row.untimed),
        totalNs: int(row.total_ns),
        maxNs: int(row.max_ns),
        slowest: intOrNull(row.slowest),
        first: int(row.first),
        firstRaised: intOrNull(row.first_raised),
      };
    });
  }

  /**
   * The exceptions that ended invocations of a code object (what its "raised" count counts), by type:
   * how many, and the first of them (its raise site may lie in a callee it propagated from).
   */
  raisedBy(code: CodeId): RaisedType[] {
    return this.sql.all(`SELECT x.type, count(*) AS times, min(x.id) AS first FROM invocation i
      JOIN event e ON e.seq = i.last_seq JOIN exception x ON x.id = e.arg
      WHERE i.code = ? AND i.end_kind = ${EventKind.Unwind} GROUP BY x.type ORDER BY times DESC, first`, code)
      .map((row) => ({ type: String(row.type), times: int(row.times), first: int(row.first) }));
  }

  /** How many times each executed line of a file ran; lines absent here never ran. */
  lineStats(file: FileId): LineStats[] {
    return this.sql.all('SELECT line, hits FROM line_stats WHERE file = ? ORDER BY line', file)
      .map((row) => ({ line: int(row.line), hits: int(row.hits) }));
  }
}

function parseList(json: string | null): string[] {
  if (json === null) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
}
