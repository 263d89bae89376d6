// The node:sqlite backend: queries the trace file in place (no load time). Loaded lazily so Node 20,
// which lacks the module, falls back to sql.js; Node 22's ExperimentalWarning for it is silenced.
import type { Access, SqlBackend, SqlParam, SqlRow, SqlStatement } from './backend';

type NodeSqlite = typeof import('node:sqlite');

let loaded: NodeSqlite | null | undefined;

/** The node:sqlite module, or null when this Node has none. */
export function nodeSqliteModule(): NodeSqlite | null {
  if (loaded === undefined) loaded = loadQuietly();
  return loaded;
}

export function openNodeSqlite(path: string, access: Access): SqlBackend {
  const sqlite = nodeSqliteModule();
  if (!sqlite) throw new Error(`node:sqlite is not available in Node ${process.versions.node}`);
  const db = new sqlite.DatabaseSync(path, { readOnly: access === 'read' });
  let open = true;
  return {
    name: 'node',
    prepare(sql: string): SqlStatement {
      const statement = db.prepare(sql);
      return {
        get: (...params: SqlParam[]) => statement.get(...params) as SqlRow | undefined,
        all: (...params: SqlParam[]) => statement.all(...params) as SqlRow[],
      };
    },
    exec: (sql: string) => db.exec(sql),
    persist: () => undefined,
    close: () => {
      if (open) db.close();
      open = false;
    },
  };
}

/** Requires node:sqlite, dropping only the "SQLite is an experimental feature" warning it emits. */
function loadQuietly(): NodeSqlite | null {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type === 'ExperimentalWarning' && text.includes('SQLite')) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return require('node:sqlite') as NodeSqlite;
  } catch {
    return null;
  } finally {
    process.emitWarning = emitWarning;
  }
}
