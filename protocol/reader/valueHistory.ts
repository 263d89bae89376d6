// A variable's history as seen from a frame: the name resolves as Python would read it there — the
// invocation's own variable, else its module's global — and the changes of that one variable are listed.
import type { CodeId, InvocationId, Seq } from '../schema';
import type { Catalog } from './catalog';
import type { Stacks } from './stacks';
import { type Sql } from './sql';
import type { Page, ValueChange } from './types';
import type { Variables } from './variables';

export interface VariableHistory {
  /** The invocation owning the variable (the module's, for a global). */
  invocation: InvocationId;
  code: CodeId;
  scope: 'local' | 'global';
  /** All its changes, of which `changes` is the page asked. */
  total: number;
  changes: ValueChange[];
}

export class ValueHistory {
  constructor(private readonly sql: Sql, private readonly catalog: Catalog, private readonly stacks: Stacks,
    private readonly variables: Variables) {}

  /** The history of `name` seen from `invocation` at seq; undefined when neither it nor its module has such a variable. */
  of(invocation: InvocationId, seq: Seq, name: string, page: Page): VariableHistory | undefined {
    const owner = this.owner(invocation, seq, name);
    if (!owner) return undefined;
    return {
      ...owner,
      total: this.variables.historySize(owner.invocation, name, owner.code),
      changes: this.variables.history(owner.invocation, name, owner.code, page),
    };
  }

  private owner(invocation: InvocationId, seq: Seq, name: string): Omit<VariableHistory, 'total' | 'changes'> | undefined {
    const code = this.catalog.code(this.stacks.invocation(invocation)?.code ?? -1);
    if (!code) return undefined;
    if (this.has(code.id, name)) return { invocation, code: code.id, scope: code.kind === 'module' ? 'global' : 'local' };
    const module = this.stacks.moduleInvocationAt(code.file, seq);
    const moduleCode = module === undefined ? undefined : this.stacks.invocation(module)?.code;
    if (module === undefined || moduleCode === undefined || !this.has(moduleCode, name)) return undefined;
    return { invocation: module, code: moduleCode, scope: 'global' };
  }

  private has(code: CodeId, name: string): boolean {
    return this.sql.get('SELECT 1 AS found FROM variable WHERE code = ? AND name = ?', code, name) !== undefined;
  }
}
