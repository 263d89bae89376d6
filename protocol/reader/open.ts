// Opening a trace file: checks it is a Hindsight trace of this schema version with every table and
// column the reader queries, refusing anything else with one sentence naming the file, what was found
// and what was expected (TraceOpenError).
import * as fs from 'node:fs';
import { SCHEMA_VERSION, TRACE_FORMAT } from '../schema';
import { openBackend, type BackendName, type SqlBackend } from './backend';
import { notWritable, TraceOpenError } from './errors';
import { journalPath } from './journal';
import { finishIfWriterDied } from './lifecycle';
import { missingSchema } from './schemaCheck';
import { Sql } from './sql';

const SQLITE_HEADER = 'SQLite format 3\0';

/** Opens and checks the trace; a trace whose writer died is finished first (lifecycle.ts). */
export async function openTraceBackend(path: string, name: BackendName): Promise<SqlBackend> {
  checkFile(path);
  // node:sqlite cannot roll back a hot journal on a read-only connection (SQLITE_READONLY_ROLLBACK).
  const access = name === 'node' && fs.existsSync(journalPath(path)) ? 'write' : 'read';
  let backend: SqlBackend;
  try {
    backend = await openBackend(path, name, access);
  } catch (error) {
    if (access === 'write') throw notWritable(path, 'a rollback journal beside it must be rolled back first', error);
    throw damaged(path, error);
  }
  try {
    checkTrace(path, new Sql(backend));
    return await finishIfWriterDied(path, backend);
  } catch (error) {
    backend.close();
    throw error instanceof TraceOpenError ? error : damaged(path, error);
  }
}

function checkFile(path: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TraceOpenError(path, code === 'ENOENT' ? 'no such file' : `the file cannot be read (${code})`);
  }
  if (stat.isDirectory()) throw new TraceOpenError(path, 'it is a directory; expected a Hindsight trace file');
  if (stat.size === 0) throw new TraceOpenError(path, 'the file is empty; expected a Hindsight trace (an SQLite file)');
  if (!hasSqliteHeader(path)) throw new TraceOpenError(path, 'it is not an SQLite file; expected a Hindsight trace (an SQLite file)');
}

/** Whether the file starts as every SQLite database does (false when it cannot be read). */
export function hasSqliteHeader(path: string): boolean {
  const header = Buffer.alloc(SQLITE_HEADER.length);
  try {
    const fd = fs.openSync(path, 'r');
    try {
      fs.readSync(fd, header, 0, header.length, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
  return header.toString('latin1') === SQLITE_HEADER;
}

function checkTrace(path: string, sql: Sql): void {
  if (!sql.get("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'")) {
    throw new TraceOpenError(path, `it is an SQLite database with no meta table; expected a Hindsight trace (meta.format '${TRACE_FORMAT}')`);
  }
  const format = sql.get("SELECT value FROM meta WHERE key = 'format'")?.value;
  if (format !== TRACE_FORMAT) {
    const found = format === undefined ? 'no meta.format' : `meta.format ${JSON.stringify(format)}`;
    throw new TraceOpenError(path, `it is an SQLite database with ${found}; expected a Hindsight trace (meta.format '${TRACE_FORMAT}')`);
  }
  const version = Number(sql.get('PRAGMA user_version')?.user_version);
  if (version !== SCHEMA_VERSION) {
    const remedy = version > SCHEMA_VERSION ? 'upgrade Hindsight to read it' : 'record the program again with this Hindsight';
    throw new TraceOpenError(path, `it has trace schema version ${version}, but this Hindsight reads version ${SCHEMA_VERSION}; ${remedy}`);
  }
  const missing = missingSchema(sql);
  if (missing) throw new TraceOpenError(path, `it is a damaged Hindsight trace (${missing}); record the program again`);
}

function damaged(path: string, error: unknown): TraceOpenError {
  const reason = error instanceof Error ? error.message : String(error);
  return new TraceOpenError(path, `SQLite cannot read it (${reason}); expected a Hindsight trace`);
}
