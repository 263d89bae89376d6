// Recorder and protocol/: the Python writer creates exactly the schema of schema.sql (plus finish.sql's
// indexes) with its user_version, and finish.sql run again on a finished trace changes nothing.
import { strict as assert } from 'node:assert';
import { FINISH_SQL, SCHEMA_SQL, SCHEMA_VERSION } from '../protocol/schema';
import { pythons } from './support/pythons';
import { prepare, record } from './support/recorder';
import { TraceDb } from './support/traceDb';

const FINISH_INDEXES = [...FINISH_SQL.matchAll(/CREATE INDEX IF NOT EXISTS (\w+)/g)].map((match) => match[1] ?? '');
/** Traces whose derived columns have something to derive: exceptions caught and uncaught, a generator. */
const SCRIPTS = ['handled', 'uncaught', 'generator'];

/** sqlite_master as comparable rows (rootpage left out: it depends on the order of writes). */
function schemaOf(db: TraceDb, leaveOut: string[] = []): string[] {
  return db.rows("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
    .filter((row) => !leaveOut.includes(String(row.name)))
    .map((row) => JSON.stringify(row));
}

/** Every row of every table, in a stable order; BLOBs as hex. */
function contentsOf(db: TraceDb): Record<string, string[]> {
  const tables = db.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  return Object.fromEntries(tables.map(({ name }) => {
    const columns = db.rows(`SELECT count(*) AS n FROM pragma_table_info('${String(name)}')`)[0]?.n;
    const order = Array.from({ length: Number(columns) }, (_, i) => i + 1).join(', ');
    const rows = db.rows(`SELECT * FROM "${String(name)}" ORDER BY ${order}`).map((row) => JSON.stringify(Object.values(row)
      .map((cell) => (cell instanceof Uint8Array ? Buffer.from(cell).toString('hex') : cell))));
    return [String(name), rows];
  }));
}

describe('recorder: the trace file and protocol/', () => {
  before(() => prepare(pythons().flatMap((python) => SCRIPTS.map((script) => record(python, { script })))));

  for (const python of pythons()) {
    describe(`on Python ${python.version}`, () => {
      it('writes exactly the schema of schema.sql and the indexes of finish.sql, with its user_version', async () => {
        const trace = await TraceDb.open((await record(python, { script: 'handled' })).trace);
        const fromSchema = await TraceDb.fromSql(SCHEMA_SQL);
        const finished = await TraceDb.fromSql(SCHEMA_SQL + FINISH_SQL);
        try {
          assert.deepEqual(schemaOf(trace, FINISH_INDEXES), schemaOf(fromSchema));
          assert.deepEqual(schemaOf(trace), schemaOf(finished), 'and finish.sql’s indexes, as finish.sql writes them');
          const versions = [trace, fromSchema].map((db) => db.scalar('PRAGMA user_version'));
          assert.deepEqual(versions, [SCHEMA_VERSION, SCHEMA_VERSION]);
          assert.deepEqual([trace.meta('schema_version'), trace.meta('format')], [SCHEMA_VERSION, 'hindsight-trace']);
        } finally {
          for (const db of [trace, fromSchema, finished]) db.close();
        }
      });

      for (const script of SCRIPTS) {
        it(`finishes the trace of ${script}.py idempotently: finish.sql twice more changes no row`, async () => {
          const copy = await TraceDb.open((await record(python, { script })).trace);
          try {
            const written = { schema: schemaOf(copy), contents: contentsOf(copy) };
            copy.exec(FINISH_SQL);
            const once = { schema: schemaOf(copy), contents: contentsOf(copy) };
            copy.exec(FINISH_SQL);
            const twice = { schema: schemaOf(copy), contents: contentsOf(copy) };
            assert.deepEqual(once, written, 'finish.sql on a finished trace derives what the writer derived');
            assert.deepEqual(twice, once);
            assert.ok((once.contents.code_stats ?? []).length > 0 && (once.contents.line_stats ?? []).length > 0, 'aggregates were built');
          } finally {
            copy.close();
          }
        });
      }
    });
  }
});
