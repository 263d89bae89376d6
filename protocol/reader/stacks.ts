// Invocations and stacks. A stack is rebuilt by following caller links from the frame running at
// seq, O(depth): invocation.parent, or for a resumed generator its resumer (the resume table).
// Each caller's line is that of its last event at or before seq.
import { EventKind, type CodeId, type CodeKind, type FileId, type InvocationId, type Seq } from '../schema';
import type { Catalog } from './catalog';
import { INVOCATION_SELECT, toInvocation } from './rows';
import { int, type Sql } from './sql';
import type { Invocation, Page, StackFrame, ThreadSpan } from './types';

const SUSPENDABLE: ReadonlySet<CodeKind> = new Set<CodeKind>(['generator', 'coroutine', 'async_generator']);

export class Stacks {
  private spans: ThreadSpan[] | undefined;

  constructor(private readonly sql: Sql, private readonly catalog: Catalog) {}

  invocation(id: InvocationId): Invocation | undefined {
    const row = this.sql.get(`${INVOCATION_SELECT} WHERE id = ?`, id);
    return row && toInvocation(row);
  }

  /** The invocations of a code object, in the order they started. */
  invocationsOf(code: CodeId, page: Page = { offset: 0, limit: -1 }): Invocation[] {
    return this.sql.all(`${INVOCATION_SELECT} WHERE code = ? ORDER BY first_seq LIMIT ? OFFSET ?`, code, page.limit, page.offset)
      .map(toInvocation);
  }

  /** The invocations started directly by this one, in order. */
  children(invocation: InvocationId, page: Page = { offset: 0, limit: -1 }): Invocation[] {
    return this.sql.all(`${INVOCATION_SELECT} WHERE parent = ? ORDER BY first_seq LIMIT ? OFFSET ?`, invocation, page.limit, page.offset)
      .map(toInvocation);
  }

  /** The frames at seq, innermost first; empty when there is no such event. */
  stackAt(seq: Seq): StackFrame[] {
    const top = this.sql.get('SELECT invocation, line FROM event WHERE seq = ?', seq);
    if (!top) return [];
    const frames: StackFrame[] = [];
    let invocation = this.invocation(int(top.invocation));
    let position = { seq, line: int(top.line) };
    while (invocation) {
      const code = this.catalog.code(invocation.code);
      if (!code) throw new Error(`invocation ${invocation.id} names code ${invocation.code}, which the trace lacks`);
      frames.push({ invocation: invocation.id, code, thread: invocation.thread, depth: invocation.depth, ...position });
      const caller = SUSPENDABLE.has(code.kind) ? this.resumer(invocation, seq) : invocation.parent;
      if (caller === null) break;
      invocation = this.invocation(caller);
      if (invocation) position = this.lastPosition(invocation, seq);
    }
    return frames;
  }

  /** Each thread's first and last event, by thread id; read once (a finished trace does not change). */
  threadSpans(): ThreadSpan[] {
    this.spans ??= this.sql.all(
      `SELECT thread, min(first_seq) AS first, max(coalesce(last_seq, first_seq)) AS last FROM invocation
       GROUP BY thread ORDER BY thread`).map((row) => ({ thread: int(row.thread), firstSeq: int(row.first), lastSeq: int(row.last) }));
    return this.spans;
  }

  /**
   * The invocation of the module a file's code runs in (the latest one started at or before seq),
   * whose variables are that code's globals.
   */
  moduleInvocationAt(file: FileId, seq: Seq): InvocationId | undefined {
    const row = this.sql.get(
      `SELECT i.id FROM code c JOIN invocation i ON i.code = c.id
       WHERE c.file = ? AND c.kind = 'module' AND i.first_seq <= ? ORDER BY i.first_seq DESC LIMIT 1`,
      file, seq);
    return row ? int(row.id) : undefined;
  }

  /** Who runs a generator or coroutine at seq: the resumer of its latest resume, else its starter. */
  private resumer(invocation: Invocation, seq: Seq): InvocationId | null {
    const row = this.sql.get(
      `SELECT e.kind, r.caller FROM event e LEFT JOIN resume r ON r.seq = e.seq
       WHERE e.invocation = ? AND e.seq <= ? AND e.kind IN (${EventKind.Call}, ${EventKind.Resume})
       ORDER BY e.seq DESC LIMIT 1`, invocation.id, seq);
    if (!row || int(row.kind) === EventKind.Call) return invocation.parent;
    return row.caller === null ? null : int(row.caller);
  }

  /** An invocation's last event at or before seq (its CALL at the latest). */
  private lastPosition(invocation: Invocation, seq: Seq): { seq: Seq; line: number } {
    const row = this.sql.get('SELECT seq, line FROM event WHERE invocation = ? AND seq <= ? ORDER BY seq DESC LIMIT 1', invocation.id, seq);
    if (!row) throw new Error(`invocation ${invocation.id} has no event at or before seq ${seq}`);
    return { seq: int(row.seq), line: int(row.line) };
  }
}
