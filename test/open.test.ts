// Reader: refusing what is not a readable trace of this schema version, with one exact sentence each.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SCHEMA_VERSION } from '../protocol/schema';
import { TraceOpenError } from '../protocol/reader';
import { editDatabase } from './support/sqlite';
import { copyOfRecording, forEachBackend, freshDir } from './support/recordings';

forEachBackend('opening', (open) => {
  async function refusal(file: string): Promise<string> {
    try {
      (await open(file)).close();
    } catch (error) {
      assert.ok(error instanceof TraceOpenError, String(error));
      assert.equal(error.path, file);
      return error.message;
    }
    assert.fail(`${file} opened`);
  }

  it('names a missing file, a folder and an empty file', async () => {
    const dir = freshDir('open');
    const missing = path.join(dir, 'missing.trace.db');
    assert.equal(await refusal(missing), `Cannot open trace ${missing}: no such file.`);
    assert.equal(await refusal(dir), `Cannot open trace ${dir}: it is a directory; expected a Hindsight trace file.`);
    const empty = path.join(dir, 'empty.trace.db');
    fs.writeFileSync(empty, '');
    assert.equal(await refusal(empty), `Cannot open trace ${empty}: the file is empty; expected a Hindsight trace (an SQLite file).`);
  });

  it('refuses a file that is not SQLite', async () => {
    const text = path.join(freshDir('open'), 'prog.py');
    fs.writeFileSync(text, 'print("hello")\n');
    assert.equal(await refusal(text), `Cannot open trace ${text}: it is not an SQLite file; expected a Hindsight trace (an SQLite file).`);
  });

  it('refuses an SQLite database of another application', async () => {
    const dir = freshDir('open');
    const foreign = path.join(dir, 'foreign.db');
    await editDatabase(foreign, 'CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT)');
    assert.equal(await refusal(foreign),
      `Cannot open trace ${foreign}: it is an SQLite database with no meta table; expected a Hindsight trace (meta.format 'hindsight-trace').`);
    const otherMeta = path.join(dir, 'other-meta.db');
    await editDatabase(otherMeta, "CREATE TABLE meta (key TEXT PRIMARY KEY, value); INSERT INTO meta VALUES ('format', 'coverage')");
    assert.equal(await refusal(otherMeta),
      `Cannot open trace ${otherMeta}: it is an SQLite database with meta.format "coverage"; expected a Hindsight trace (meta.format 'hindsight-trace').`);
  });

  it('refuses a damaged trace', async () => {
    const trace = copyOfRecording('loop', 'damaged');
    fs.truncateSync(trace, 4096);
    assert.equal(await refusal(trace),
      `Cannot open trace ${trace}: SQLite cannot read it (database disk image is malformed); expected a Hindsight trace.`);
  });

  it('refuses a trace missing a table or a column the reader queries, naming it', async () => {
    const noEvents = copyOfRecording('loop', 'no-event-table');
    await editDatabase(noEvents, 'DROP TABLE event');
    assert.equal(await refusal(noEvents),
      `Cannot open trace ${noEvents}: it is a damaged Hindsight trace (table 'event' is missing); record the program again.`);
    const noName = copyOfRecording('loop', 'no-thread-name');
    await editDatabase(noName, 'ALTER TABLE thread DROP COLUMN name');
    assert.equal(await refusal(noName),
      `Cannot open trace ${noName}: it is a damaged Hindsight trace (column 'thread.name' is missing); record the program again.`);
  });

  it('refuses a newer and an older schema version, naming both numbers', async () => {
    const newer = copyOfRecording('loop', 'newer');
    await editDatabase(newer, `PRAGMA user_version = ${SCHEMA_VERSION + 1}; UPDATE meta SET value = ${SCHEMA_VERSION + 1} WHERE key = 'schema_version'`);
    assert.equal(await refusal(newer),
      `Cannot open trace ${newer}: it has trace schema version ${SCHEMA_VERSION + 1}, but this Hindsight reads version ${SCHEMA_VERSION}; upgrade Hindsight to read it.`);
    const older = copyOfRecording('loop', 'older');
    await editDatabase(older, `PRAGMA user_version = ${SCHEMA_VERSION - 1}`);
    assert.equal(await refusal(older),
      `Cannot open trace ${older}: it has trace schema version ${SCHEMA_VERSION - 1}, but this Hindsight reads version ${SCHEMA_VERSION}; record the program again with this Hindsight.`);
  });
});
