// Exceptions by where they were raised in a file, for diagnostics: the uncaught ones each with the
// frames they went through, the handled ones grouped by raise line, type and where they ended.
import type { CodeId, ExceptionId, FileId, Line } from '../schema';
import type { Catalog } from './catalog';
import { int, intOrNull, type Sql } from './sql';
import type { Code, ExceptionInfo } from './types';

/** A frame an exception went through: the line it was at in that frame when the exception reached it. */
export interface PassedFrame {
  code: Code;
  line: Line;
}

/** How the exceptions of a group ended: caught by a handler, left the recorded code (caught outside it), or still in flight at the end. */
export type RaiseEnding = 'caught' | 'left' | 'unfinished';

/** Handled exceptions of one type raised on one line that ended the same way at the same place. */
export interface HandledRaises {
  line: Line;
  type: string;
  /** How many were raised. */
  count: number;
  /** The first of them (its message is shown). */
  first: ExceptionId;
  /** How many distinct messages they had. */
  messages: number;
  ending: RaiseEnding;
  /** Where the handler took over (for 'caught'): its code and the line of its first event. */
  caughtIn: PassedFrame | undefined;
}

export class RaiseSites {
  constructor(private readonly sql: Sql, private readonly catalog: Catalog) {}

  /** Exceptions raised in the file that the program (or a thread) died of, in raise order. */
  uncaughtIn(file: FileId): ExceptionInfo[] {
    return this.sql.all(`SELECT x.id FROM exception x JOIN event e ON e.seq = x.raised_seq JOIN invocation i ON i.id = e.invocation
      JOIN code c ON c.id = i.code WHERE x.uncaught = 1 AND c.file = ? ORDER BY x.raised_seq`, file)
      .flatMap((row) => this.catalog.exception(int(row.id)) ?? []);
  }

  /** The frames an exception reached, in order: the raising frame first, then each caller it propagated into (once each, at the line it reached first). */
  passedFrames(exception: ExceptionId): PassedFrame[] {
    const seen = new Set<number>();
    return this.sql.all(`SELECT e.invocation, i.code, e.line FROM event e JOIN invocation i ON i.id = e.invocation
      WHERE e.arg = ? AND e.kind = 3 ORDER BY e.seq`, exception)
      .filter((row) => !seen.has(int(row.invocation)) && Boolean(seen.add(int(row.invocation))))
      .flatMap((row) => this.frame(int(row.code), int(row.line)) ?? []);
  }

  /** Exceptions raised in the file that did not end the program, grouped; by line, then first raise. */
  handledIn(file: FileId): HandledRaises[] {
    const rows = this.sql.all(`SELECT e.line, x.type, count(*) AS count, min(x.id) AS first, count(DISTINCT x.message) AS messages,
        CASE WHEN x.caught_seq IS NOT NULL THEN 0 WHEN x.escaped_seq IS NOT NULL THEN 1 ELSE 2 END AS ending,
        ci.code AS caught_code, ce.line AS caught_line
      FROM exception x JOIN event e ON e.seq = x.raised_seq JOIN invocation i ON i.id = e.invocation JOIN code c ON c.id = i.code
      LEFT JOIN event ce ON ce.seq = x.caught_seq LEFT JOIN invocation ci ON ci.id = ce.invocation
      WHERE x.uncaught = 0 AND c.file = ?
      GROUP BY e.line, x.type, ending, ci.code, ce.line ORDER BY e.line, first`, file);
    return rows.map((row) => {
      const caughtCode = intOrNull(row.caught_code);
      return {
        line: int(row.line),
        type: String(row.type),
        count: int(row.count),
        first: int(row.first),
        messages: int(row.messages),
        ending: ENDINGS[int(row.ending)] ?? 'unfinished',
        caughtIn: caughtCode === null ? undefined : this.frame(caughtCode, int(row.caught_line)),
      };
    });
  }

  private frame(codeId: CodeId, line: Line): PassedFrame | undefined {
    const code = this.catalog.code(codeId);
    return code && { code, line };
  }
}

const ENDINGS: RaiseEnding[] = ['caught', 'left', 'unfinished'];
