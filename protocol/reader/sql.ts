// Prepared statements cached by their text over a backend, and typed column readers that turn SQL
// values into numbers and strings (a wrong type means the file does not follow schema.sql).
import type { SqlValue } from '../schema';
import type { SqlBackend, SqlParam, SqlRow, SqlStatement } from './backend';

export class Sql {
  private readonly statements = new Map<string, SqlStatement>();

  constructor(readonly backend: SqlBackend) {}

  get(sql: string, ...params: SqlParam[]): SqlRow | undefined {
    return this.statement(sql).get(...params);
  }

  all(sql: string, ...params: SqlParam[]): SqlRow[] {
    return this.statement(sql).all(...params);
  }

  private statement(sql: string): SqlStatement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.backend.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/**
 * SQL selecting a TEXT column that may hold NUL characters as its UTF-8 bytes (read back with
 * `utf8`): Node 22's node:sqlite cuts TEXT at the first NUL; a BLOB arrives whole on every backend.
 */
export function textAsBlob(column: string, alias: string): string {
  return `CASE WHEN typeof(${column}) = 'text' THEN CAST(${column} AS BLOB) ELSE ${column} END AS ${alias}`;
}

/** Text selected with textAsBlob. */
export function utf8(value: SqlValue | undefined): string {
  return value instanceof Uint8Array ? UTF8.decode(value) : text(value);
}

const UTF8 = new TextDecoder('utf-8');

export function int(value: SqlValue | undefined): number {
  if (typeof value !== 'number') throw new Error(`the trace holds ${describe(value)} where schema.sql has an integer`);
  return value;
}

export function intOrNull(value: SqlValue | undefined): number | null {
  return value === null || value === undefined ? null : int(value);
}

export function text(value: SqlValue | undefined): string {
  if (typeof value !== 'string') throw new Error(`the trace holds ${describe(value)} where schema.sql has text`);
  return value;
}

export function textOrNull(value: SqlValue | undefined): string | null {
  return value === null || value === undefined ? null : text(value);
}

function describe(value: SqlValue | undefined): string {
  if (value === undefined) return 'no such column';
  if (value === null) return 'NULL';
  return value instanceof Uint8Array ? 'a BLOB' : `${typeof value} ${JSON.stringify(value)}`;
}
