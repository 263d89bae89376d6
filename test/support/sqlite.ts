// SQLite files for tests, made the way they occur in the field: edited with sql.js (every Node has
// it), and hot rollback journals left by a real SQLite (python3's sqlite3) that died mid-transaction.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import initSqlJs from 'sql.js';

/** Runs SQL on the database file (creating it if absent) and writes it back. */
export async function editDatabase(file: string, sql: string): Promise<void> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(fs.existsSync(file) ? fs.readFileSync(file) : undefined);
  db.exec(sql);
  fs.writeFileSync(file, db.export());
  db.close();
}

/** The rows of a query on the database file (which is not changed). */
export async function queryDatabase(file: string, sql: string): Promise<Record<string, unknown>[]> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(fs.readFileSync(file));
  const [result] = db.exec(sql);
  db.close();
  return (result?.values ?? []).map((row) => Object.fromEntries(row.map((value, i) => [result?.columns[i] ?? '', value])));
}

/**
 * Starts a transaction that deletes most events and adds bogus ones, spills it into the file (tiny
 * page cache) and kills the process: the file is left changed, with a hot `<file>-journal` to undo it.
 */
export function leaveHotJournal(file: string): void {
  const script = `
import os, sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode = DELETE")
db.execute("PRAGMA cache_size = 2")
db.execute("BEGIN")
db.execute("DELETE FROM event WHERE seq > 3")
db.executemany("INSERT INTO output (seq, stream, text) VALUES (1, 1, ?)", [("bogus " * 200,)] * 300)
os._exit(0)
`;
  const python = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
  if (python.status !== 0) throw new Error(`python3 could not leave a hot journal: ${python.stderr}`);
  if (!fs.existsSync(`${file}-journal`)) throw new Error('python3 left no journal');
}

/** The file's bytes after a real SQLite (python3) rolled back its hot journal, from a copy. */
export function rolledBackBySqlite(file: string, copy: string): Buffer {
  fs.copyFileSync(file, copy);
  fs.copyFileSync(`${file}-journal`, `${copy}-journal`);
  const python = spawnSync('python3', ['-c', 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM event").fetchone()', copy], { encoding: 'utf8' });
  if (python.status !== 0) throw new Error(`python3 could not roll back: ${python.stderr}`);
  if (fs.existsSync(`${copy}-journal`)) throw new Error('python3 left the journal in place');
  return fs.readFileSync(copy);
}

/** The pid of a process that has exited (a writer that died). */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}
