// The sql.js backend (WebAssembly SQLite, for Nodes without node:sqlite): loads the trace file into
// memory, rolling back a hot journal first; persist() writes the image back atomically (0600).
import initSqlJs from 'sql.js';
import * as fs from 'node:fs';
import type { Access, SqlBackend, SqlParam, SqlRow, SqlStatement } from './backend';
import { journalPath, rollBackJournal } from './journal';

let engine: Promise<initSqlJs.SqlJsStatic> | undefined;

/** Opens a copy of the file in memory. With 'write' access a hot journal is also rolled back on disk. */
export async function openSqlJs(path: string, access: Access): Promise<SqlBackend> {
  const SQL = await (engine ??= initSqlJs());
  const image = loadImage(path, access);
  const db = new SQL.Database(image);
  const statements: initSqlJs.Statement[] = [];
  return {
    name: 'sqljs',
    prepare(sql: string): SqlStatement {
      const statement = db.prepare(sql);
      statements.push(statement);
      return {
        get: (...params: SqlParam[]) => first(statement, params),
        all: (...params: SqlParam[]) => every(statement, params),
      };
    },
    exec: (sql: string) => void db.exec(sql),
    persist: () => writeAtomically(path, db.export()),
    close: () => {
      for (const statement of statements.splice(0)) statement.free();
      db.close();
    },
  };
}

/**
 * The file's bytes as SQLite would read them: with a hot rollback journal beside it, the journal's
 * pages are played back (sql.js cannot see files outside its own memory file system). With 'write'
 * access this is done on disk as SQLite does: the rolled-back image first, then the journal removed.
 */
function loadImage(path: string, access: Access): Uint8Array {
  const { bytes, journal } = readUnchanged(path);
  const rolledBack = journal && rollBackJournal(path, bytes, journal);
  if (!rolledBack) return bytes;
  if (access === 'write') {
    writeAtomically(path, rolledBack);
    fs.rmSync(journalPath(path), { force: true });
  }
  return rolledBack;
}

/**
 * The journal, then the file, read again while a live writer changed the file meanwhile (without
 * SQLite's locks, that is how a commit in progress is told from a committed state).
 */
function readUnchanged(path: string): { bytes: Uint8Array; journal: Uint8Array | undefined } {
  for (let attempt = 1; ; attempt++) {
    const before = fs.statSync(path);
    const journal = readIfExists(journalPath(path));
    const bytes = fs.readFileSync(path);
    const after = fs.statSync(path);
    if ((before.mtimeMs === after.mtimeMs && before.size === after.size) || attempt === 10) return { bytes, journal };
  }
}

function readIfExists(path: string): Uint8Array | undefined {
  try {
    return fs.readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Replaces the file by writing a temporary sibling (mode 0600) in full and renaming it over the
 * original; if any write fails (a full disk), the original is left untouched.
 */
function writeAtomically(path: string, bytes: Uint8Array): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const fd = fs.openSync(temporary, 'w', 0o600);
    try {
      // A write may be short (the disk filling up); the next one then reports why (ENOSPC).
      for (let written = 0; written < bytes.length;) written += fs.writeSync(fd, bytes, written);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, path);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

function first(statement: initSqlJs.Statement, params: SqlParam[]): SqlRow | undefined {
  try {
    statement.bind(params);
    return statement.step() ? statement.getAsObject() : undefined;
  } finally {
    statement.reset();
  }
}

function every(statement: initSqlJs.Statement, params: SqlParam[]): SqlRow[] {
  const rows: SqlRow[] = [];
  try {
    statement.bind(params);
    while (statement.step()) rows.push(statement.getAsObject());
  } finally {
    statement.reset();
  }
  return rows;
}
