// The one SQL interface the reader queries through, and the choice between its two implementations:
// node:sqlite (file-backed, Node >= 22.13) and sql.js (WebAssembly, file loaded into memory).
import type { SqlValue } from '../schema';
import { BackendChoiceError } from './errors';
import { nodeSqliteModule, openNodeSqlite } from './nodeSqlite';
import { openSqlJs } from './sqljs';

export type BackendName = 'node' | 'sqljs';
export type SqlRow = Record<string, SqlValue>;
/** Statements take anonymous `?` parameters only (the two backends bind named ones differently). */
export type SqlParam = number | string | null;

export interface SqlStatement {
  get(...params: SqlParam[]): SqlRow | undefined;
  all(...params: SqlParam[]): SqlRow[];
}

export interface SqlBackend {
  readonly name: BackendName;
  prepare(sql: string): SqlStatement;
  /** Runs one or more statements without results. */
  exec(sql: string): void;
  /** Makes what exec changed durable in the trace file (sql.js writes its image back atomically). */
  persist(): void;
  /** Idempotent. */
  close(): void;
}

/** 'read' opens node:sqlite read-only; 'write' lets exec and persist change the file. */
export type Access = 'read' | 'write';

/** The backends this Node can run, preferred first. */
export function availableBackends(): BackendName[] {
  return nodeSqliteModule() ? ['node', 'sqljs'] : ['sqljs'];
}

/** The backend to use: HINDSIGHT_SQLITE=node|sqljs when set, else the first available. */
export function chooseBackend(env: NodeJS.ProcessEnv = process.env): BackendName {
  const forced = env.HINDSIGHT_SQLITE;
  if (forced === 'node' || forced === 'sqljs') {
    if (!availableBackends().includes(forced)) {
      throw new BackendChoiceError(`HINDSIGHT_SQLITE=node needs node:sqlite (Node 22.13 or later); this is Node ${process.versions.node}`);
    }
    return forced;
  }
  if (forced) throw new BackendChoiceError(`HINDSIGHT_SQLITE must be 'node' or 'sqljs', not '${forced}'`);
  return availableBackends()[0] ?? 'sqljs';
}

export async function openBackend(path: string, name: BackendName, access: Access): Promise<SqlBackend> {
  return name === 'node' ? openNodeSqlite(path, access) : openSqlJs(path, access);
}
