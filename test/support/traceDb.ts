// A trace file read straight through SQLite (sql.js), not through protocol/reader: the recorder tests
// check the rows the recorder wrote. Value cells are decoded per protocol/values.md into plain JSON.
import * as fs from 'node:fs';
import initSqlJs from 'sql.js';
import type { SqlValue } from '../../protocol/schema';

export type Row = Record<string, SqlValue>;
/** A decoded value: what a value_change cell holds, with BLOBs parsed as value nodes. */
export type Value = null | number | string | boolean | Value[];

let engine: Promise<initSqlJs.SqlJsStatic> | undefined;

export class TraceDb {
  /** Reads the file once; later changes to it are not seen. */
  static async open(file: string): Promise<TraceDb> {
    const SQL = await (engine ??= initSqlJs());
    return new TraceDb(new SQL.Database(fs.readFileSync(file)));
  }

  /** An empty database made by executing the given SQL (e.g. protocol/schema.sql). */
  static async fromSql(sql: string): Promise<TraceDb> {
    const SQL = await (engine ??= initSqlJs());
    const db = new SQL.Database();
    db.exec(sql);
    return new TraceDb(db);
  }

  private constructor(readonly db: initSqlJs.Database) {}

  close(): void {
    this.db.close();
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  rows(sql: string, ...params: (number | string | null)[]): Row[] {
    const statement = this.db.prepare(sql);
    try {
      statement.bind(params);
      const rows: Row[] = [];
      while (statement.step()) rows.push(statement.getAsObject() as Row);
      return rows;
    } finally {
      statement.free();
    }
  }

  /** The first column of the first row (undefined when there is no row). */
  scalar(sql: string, ...params: (number | string | null)[]): SqlValue | undefined {
    const row = this.rows(sql, ...params)[0];
    return row ? Object.values(row)[0] : undefined;
  }

  meta(key: string): SqlValue | undefined {
    return this.scalar('SELECT value FROM meta WHERE key = ?', key);
  }

  /** The code object with this qualified name (exactly one is expected). */
  code(qualname: string): Row {
    const rows = this.rows('SELECT * FROM code WHERE qualname = ?', qualname);
    if (rows.length !== 1) throw new Error(`expected one code object '${qualname}', found ${rows.length}`);
    return rows[0] as Row;
  }

  /** Invocations of the code object with this qualified name, in the order they started. */
  invocations(qualname: string): Row[] {
    return this.rows('SELECT i.* FROM invocation i JOIN code c ON c.id = i.code WHERE c.qualname = ? ORDER BY i.first_seq', qualname);
  }

  /** The invocation of the program's module (the first root invocation). */
  moduleInvocation(): Row {
    const row = this.rows("SELECT i.* FROM invocation i JOIN code c ON c.id = i.code WHERE c.kind = 'module' ORDER BY i.first_seq LIMIT 1")[0];
    if (!row) throw new Error('no module invocation');
    return row;
  }

  /** Events of one invocation as [line, kind] pairs, in seq order. */
  eventsOf(invocation: number): [number, number][] {
    return this.rows('SELECT line, kind FROM event WHERE invocation = ? ORDER BY seq', invocation)
      .map((row) => [Number(row.line), Number(row.kind)]);
  }

  /** The decoded values a variable took in one invocation, in order. */
  history(invocation: number, name: string): Value[] {
    return this.changes(invocation, name).map((change) => change.value);
  }

  /** Each change of a variable in one invocation: where (seq, and the line of that event) and the value. */
  changes(invocation: number, name: string): { seq: number; line: number; value: Value }[] {
    return this.rows(
      `SELECT c.seq, e.line, c.value FROM value_change c JOIN variable v ON v.id = c.variable
       JOIN event e ON e.seq = c.seq WHERE c.invocation = ? AND v.name = ? ORDER BY c.seq`, invocation, name,
    ).map((row) => ({ seq: Number(row.seq), line: Number(row.line), value: decode(row.value ?? null) }));
  }

  /** The value a variable of an invocation had last (the latest change). */
  last(invocation: number, name: string): Value {
    const history = this.history(invocation, name);
    if (history.length === 0) throw new Error(`no value recorded for '${name}' in invocation ${invocation}`);
    return history[history.length - 1] as Value;
  }

  /** Everything written to a stream (1 stdout, 2 stderr) as the trace recorded it. */
  output(stream: 1 | 2): string {
    return this.rows('SELECT text FROM output WHERE stream = ? ORDER BY id', stream).map((row) => String(row.text)).join('');
  }
}

/** A value_change cell as a plain value: SQLite scalars as they are, BLOBs as parsed JSON value nodes. */
export function decode(cell: SqlValue): Value {
  if (cell instanceof Uint8Array) return JSON.parse(Buffer.from(cell).toString('utf8')) as Value;
  return cell;
}
