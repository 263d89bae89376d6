// What a trace must hold before the reader queries it: every table and column schema.sql creates,
// read from the DDL itself; a trace missing one is damaged, named in one sentence by missingSchema.
import { SCHEMA_SQL } from '../schema';
import type { Sql } from './sql';

/** Words that start a table constraint, not a column, inside CREATE TABLE (…). */
const CONSTRAINTS = new Set(['PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN', 'CONSTRAINT']);

/** schema.sql's tables and their columns, in the order it declares them. */
export const SCHEMA_TABLES: ReadonlyMap<string, readonly string[]> = tablesOf(SCHEMA_SQL);

/** "table 'event' is missing" / "column 'event.t' is missing" for the first gap, or undefined when the trace has everything. */
export function missingSchema(sql: Sql): string | undefined {
  for (const [table, columns] of SCHEMA_TABLES) {
    const present = new Set(sql.all('SELECT name FROM pragma_table_info(?)', table).map((row) => row.name));
    if (present.size === 0) return `table '${table}' is missing`;
    const column = columns.find((name) => !present.has(name));
    if (column !== undefined) return `column '${table}.${column}' is missing`;
  }
  return undefined;
}

function tablesOf(ddl: string): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  const withoutComments = ddl.replace(/--.*$/gm, '');
  for (const [, table, body] of withoutComments.matchAll(/CREATE TABLE (\w+) \(([\s\S]*?)\n\)/g)) {
    const columns = (body ?? '').split('\n').map((line) => line.trim().split(/[\s,]/)[0] ?? '')
      .filter((word) => word !== '' && !CONSTRAINTS.has(word.toUpperCase()));
    tables.set(table ?? '', columns);
  }
  return tables;
}
