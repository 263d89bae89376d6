// Generated docs stay in step with their source: docs/trace-format.md with protocol/schema.sql and finish.sql.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FINISH_SQL, SCHEMA_SQL } from '../protocol/schema';
import { TRACE_FORMAT_DOC, traceFormatDoc } from '../scripts/traceFormatDoc';
import { REPO } from './support/recordings';

describe('generated docs', () => {
  it('docs/trace-format.md matches protocol/schema.sql and finish.sql (run `npm run docs`)', () => {
    const committed = fs.readFileSync(path.join(REPO, TRACE_FORMAT_DOC), 'utf8');
    assert.equal(committed, traceFormatDoc(SCHEMA_SQL, FINISH_SQL), 'docs/trace-format.md is stale: run `npm run docs`');
  });

  it('documents every table of the schema', () => {
    const tables = [...SCHEMA_SQL.matchAll(/CREATE TABLE (\w+)/g)].map((match) => match[1]);
    const doc = traceFormatDoc(SCHEMA_SQL, FINISH_SQL);
    for (const table of tables) assert.ok(doc.includes(`## \`${table}\``), `${table} has a section`);
  });
});
