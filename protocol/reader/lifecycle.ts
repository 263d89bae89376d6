// The trace lifecycle on open (LIFECYCLE in schema.sql): a trace left 'recording' by a writer that
// is no longer alive is finished here (finish.sql) and marked 'incomplete', once, in the file,
// keeping the reason a writer that could not finish left (a full disk).
import { FINISH_SQL } from '../schema';
import { openBackend, type SqlBackend } from './backend';
import { notWritable } from './errors';
import { Sql } from './sql';

export const WRITER_DIED_REASON =
  'the recorder stopped unexpectedly; events after its last flush (at most about a second) are missing';

const MUST_FINISH = 'its recorder stopped unexpectedly and it must be finished first';

/** The backend to read from: the same one, or one reopened for writing after finishing the trace. */
export async function finishIfWriterDied(path: string, backend: SqlBackend): Promise<SqlBackend> {
  if (!writerDied(new Sql(backend))) return backend;
  backend.close();
  let writable: SqlBackend;
  try {
    writable = await openBackend(path, backend.name, 'write');
  } catch (error) {
    throw notWritable(path, MUST_FINISH, error);
  }
  try {
    writable.exec('PRAGMA busy_timeout = 10000');
    writable.exec('BEGIN IMMEDIATE');
    // Another reader may have finished it while this one waited for the lock.
    if (writerDied(new Sql(writable))) {
      writable.exec(FINISH_SQL);
      // A reason the writer left (it could not finish: the disk was full) says more than ours.
      const reason = WRITER_DIED_REASON.replace(/'/g, "''");
      writable.exec(`INSERT OR REPLACE INTO meta (key, value) VALUES ('status', 'incomplete'),
        ('end_reason', coalesce((SELECT value FROM meta WHERE key = 'end_reason'), '${reason}'))`);
    }
    writable.exec('COMMIT');
    writable.persist();
    return writable;
  } catch (error) {
    writable.close();
    throw notWritable(path, MUST_FINISH, error); // a full disk, most likely: the file is as it was
  }
}

function writerDied(sql: Sql): boolean {
  if (sql.get("SELECT value FROM meta WHERE key = 'status'")?.value !== 'recording') return false;
  const pid = Number(sql.get("SELECT value FROM meta WHERE key = 'writer_pid'")?.value);
  return !(Number.isInteger(pid) && pid > 0 && isAlive(pid));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
