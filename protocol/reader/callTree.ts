// The call tree: the invocations an invocation started (or the root invocations), in order, each with
// how many it started in turn, so a client can expand the tree one level at a time.
import type { InvocationId } from '../schema';
import { INVOCATION_SELECT, toInvocation } from './rows';
import { int, type Sql } from './sql';
import type { Invocation, Page } from './types';

export interface CallTreeNode {
  invocation: Invocation;
  /** How many invocations this one started directly. */
  children: number;
}

/** Children of `parent` (null: the roots — the module, threads' first frames, callbacks from unrecorded code). */
export function callChildren(sql: Sql, parent: InvocationId | null, page: Page): { nodes: CallTreeNode[]; total: number } {
  const where = parent === null ? 'parent IS NULL' : 'parent = ?';
  const key = parent === null ? [] : [parent];
  const rows = sql.all(`SELECT *, (SELECT count(*) FROM invocation c WHERE c.parent = p.id) AS children
    FROM (${INVOCATION_SELECT} WHERE ${where} ORDER BY first_seq LIMIT ? OFFSET ?) p ORDER BY first_seq`, ...key, page.limit, page.offset);
  const total = int(sql.get(`SELECT count(*) AS n FROM invocation WHERE ${where}`, ...key)?.n);
  return { nodes: rows.map((row) => ({ invocation: toInvocation(row), children: int(row.children) })), total };
}
