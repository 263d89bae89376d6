// Variable values as changes: the value at seq is the latest change at or before it, a container's or
// object's state the latest row of that object up to seq (a callee may have recorded it under another
// name). Locals and globals at a seq, one variable's history, its next change either way.
import { RETURN_VARIABLE, YIELD_VARIABLE, type CodeId, type InvocationId, type Line, type Seq, type VariableId } from '../schema';
import { decodeValue, type SqlType, type ValueNode } from '../values';
import type { SqlRow } from './backend';
import { int, text, textAsBlob, type Sql } from './sql';
import type { Direction, Page, ValueChange, VariableValue } from './types';

const PSEUDO_VARIABLES = new Set([RETURN_VARIABLE, YIELD_VARIABLE]);

const LATEST_VALUES = `SELECT v.id AS variable, v.name, c.seq, ${textAsBlob('c.value', 'value')}, typeof(c.value) AS type, c.object
  FROM variable v JOIN value_change c ON c.variable = v.id AND c.invocation = ?
   AND c.seq = (SELECT max(seq) FROM value_change WHERE variable = v.id AND invocation = ? AND seq <= ?)
  WHERE v.code = (SELECT code FROM invocation WHERE id = ?) ORDER BY v.id`;

/** LATEST_VALUES with each change's line (as in CHANGES): where a value was set, for showing it there. */
const LATEST_WITH_LINES = `SELECT v.id AS variable, v.name, c.seq, ${textAsBlob('c.value', 'value')}, typeof(c.value) AS type, c.object,
  coalesce((SELECT p.line FROM event p WHERE p.invocation = c.invocation AND p.seq < c.seq ORDER BY p.seq DESC LIMIT 1),
    (SELECT e.line FROM event e WHERE e.seq = c.seq)) AS line
  FROM variable v JOIN value_change c ON c.variable = v.id AND c.invocation = ?
   AND c.seq = (SELECT max(seq) FROM value_change WHERE variable = v.id AND invocation = ? AND seq <= ?)
  WHERE v.code = (SELECT code FROM invocation WHERE id = ?) ORDER BY v.id`;

/** An object's latest row after a variable's change up to a seq (schema.sql, value_change.object). */
const OBJECT_STATE = `SELECT ${textAsBlob('value', 'value')}, typeof(value) AS type FROM value_change
  WHERE object = ? AND seq > ? AND seq <= ? ORDER BY seq DESC LIMIT 1`;

/** A change's line: the observing frame's previous event (the line that ran), or its own (a CALL). */
const CHANGES = `SELECT c.seq, c.invocation, ${textAsBlob('c.value', 'value')}, typeof(c.value) AS type,
  coalesce((SELECT p.line FROM event p WHERE p.invocation = e.invocation AND p.seq < e.seq ORDER BY p.seq DESC LIMIT 1), e.line) AS line
  FROM variable v JOIN value_change c ON c.variable = v.id JOIN event e ON e.seq = c.seq
  WHERE v.code = ? AND v.name = ?`;

export class Variables {
  constructor(private readonly sql: Sql) {}

  /**
   * The variables of an invocation at seq, in first-seen order: those bound at seq (deleted ones are
   * left out). '<return>' and '<yield>' appear only at the RETURN or YIELD event that set them.
   */
  valuesAt(invocation: InvocationId, seq: Seq): VariableValue[] {
    return this.latest(invocation, seq).filter((value) => !PSEUDO_VARIABLES.has(value.name) || value.changedAt === seq);
  }

  /** valuesAt() without '<return>' and '<yield>', each with the line of the change that set it (ValueChange.line). */
  valuesWithLinesAt(invocation: InvocationId, seq: Seq): (VariableValue & { line: Line })[] {
    return this.sql.all(LATEST_WITH_LINES, invocation, invocation, seq, invocation)
      .map((row) => ({ variable: int(row.variable), name: text(row.name), value: this.stateAt(row, seq), changedAt: int(row.seq), line: int(row.line) }))
      .filter((value) => value.value.kind !== 'unbound' && !PSEUDO_VARIABLES.has(value.name));
  }

  /** How many changes history(null, ...) has, counting no further than `cap` + 1 (a bounded count for a quick summary). */
  historySizeUpTo(name: string, code: CodeId, cap: number): number {
    return int(this.sql.get(`SELECT count(*) AS n FROM (SELECT 1 FROM variable v JOIN value_change c ON c.variable = v.id
      WHERE v.code = ? AND v.name = ? LIMIT ?)`, code, name, cap + 1)?.n);
  }

  /** A module's globals at seq, given the module's invocation (Stacks.moduleInvocationAt). */
  globalsAt(seq: Seq, moduleInvocation: InvocationId): VariableValue[] {
    return this.latest(moduleInvocation, seq).filter((value) => !PSEUDO_VARIABLES.has(value.name));
  }

  /** Every change of the variable `name` of `code`, in one invocation or (null) in all, in seq order. */
  history(invocation: InvocationId | null, name: string, code: CodeId, page: Page = { offset: 0, limit: -1 }): ValueChange[] {
    const rows = invocation === null
      ? this.sql.all(`${CHANGES} ORDER BY c.seq LIMIT ? OFFSET ?`, code, name, page.limit, page.offset)
      : this.sql.all(`${CHANGES} AND c.invocation = ? ORDER BY c.seq LIMIT ? OFFSET ?`, code, name, invocation, page.limit, page.offset);
    return rows.map((row) => ({
      seq: int(row.seq),
      invocation: int(row.invocation),
      line: int(row.line),
      value: decode(row),
    }));
  }

  /** How many changes history() would return. */
  historySize(invocation: InvocationId | null, name: string, code: CodeId): number {
    const count = 'SELECT count(*) AS n FROM variable v JOIN value_change c ON c.variable = v.id WHERE v.code = ? AND v.name = ?';
    const row = invocation === null
      ? this.sql.get(count, code, name)
      : this.sql.get(`${count} AND c.invocation = ?`, code, name, invocation);
    return int(row?.n);
  }

  /** The seq of the nearest change strictly after (before) `from` of one variable in one invocation (a data breakpoint's writes). */
  nextChange(variable: VariableId, invocation: InvocationId, from: Seq, direction: Direction): Seq | undefined {
    const [comparison, order] = direction === 'forward' ? ['>', 'ASC'] : ['<', 'DESC'];
    const row = this.sql.get(`SELECT seq FROM value_change WHERE variable = ? AND invocation = ? AND seq ${comparison} ? ORDER BY seq ${order} LIMIT 1`,
      variable, invocation, from);
    return row ? int(row.seq) : undefined;
  }

  /** How many changes of one variable in one invocation were observed at or before `upTo`. */
  changesUpTo(variable: VariableId, invocation: InvocationId, upTo: Seq): number {
    return int(this.sql.get('SELECT count(*) AS n FROM value_change WHERE variable = ? AND invocation = ? AND seq <= ?', variable, invocation, upTo)?.n);
  }

  private latest(invocation: InvocationId, seq: Seq): VariableValue[] {
    return this.sql.all(LATEST_VALUES, invocation, invocation, seq, invocation)
      .map((row) => ({ variable: int(row.variable), name: text(row.name), value: this.stateAt(row, seq), changedAt: int(row.seq) }))
      .filter((value) => value.value.kind !== 'unbound');
  }

  /**
   * A variable's value at seq from its latest change: a container or object as its latest row up to
   * seq shows it. The variable held it all along, so it lived and its id named it alone.
   */
  private stateAt(row: SqlRow, seq: Seq): ValueNode {
    const value = decode(row);
    if (row.object === null || row.object === undefined || int(row.seq) >= seq) return value;
    const later = this.sql.get(OBJECT_STATE, int(row.object), int(row.seq), seq);
    const state = later && decode(later);
    return state && sameObject(value, state) ? state : value;
  }
}

/** Whether two nodes are of one object: a container or object with the same id and type. */
function sameObject(a: ValueNode, b: ValueNode): boolean {
  return (a.kind === 'seq' || a.kind === 'map' || a.kind === 'obj') && b.kind === a.kind && b.id === a.id && b.type === a.type;
}

function decode(row: SqlRow): ValueNode {
  return decodeValue(row.value ?? null, text(row.type) as SqlType);
}
