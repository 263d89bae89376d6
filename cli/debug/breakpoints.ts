// The terminal debugger's breakpoints: pdb-style numbers over DAP's per-source sets. Any change resends
// the whole set of its kind (setBreakpoints for one file, setFunctionBreakpoints); the server decides
// where each one stops, and one it refuses is dropped with its reason.
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DapClient } from './client';
import { CommandError } from './commands';

export type ResolvedTarget = { kind: 'line'; path: string; line: number } | { kind: 'function'; name: string };

interface Breakpoint {
  number: number;
  target: ResolvedTarget;
  condition?: string;
  /** Where the server put it (a line breakpoint on a blank line moves to the next line that ran). */
  path?: string;
  line?: number;
}

export class Breakpoints {
  private list: Breakpoint[] = [];
  private nextNumber = 1;

  constructor(private readonly client: DapClient) {}

  /** Sets one; answers pdb's `Breakpoint N at file:line`, or throws the server's reason for refusing it. */
  async add(target: ResolvedTarget, condition: string | undefined): Promise<string> {
    const added: Breakpoint = { number: 0, target, ...(condition === undefined ? {} : { condition }) };
    this.list.push(added);
    const answer = (await this.send(added)).find((item) => item.breakpoint === added)?.answer;
    if (!answer?.verified) {
      this.list = this.list.filter((item) => item !== added);
      throw new CommandError(`no breakpoint set: ${answer?.message ?? 'the debug server refused it'}`);
    }
    added.number = this.nextNumber++;
    added.path = answer.source?.path ?? (target.kind === 'line' ? target.path : undefined);
    added.line = answer.line;
    return `Breakpoint ${added.number} at ${where(added)}`;
  }

  /** Deletes breakpoints by number (all when `numbers` is 'all'); answers a line per breakpoint deleted. */
  async remove(numbers: readonly number[] | 'all'): Promise<string[]> {
    const unknown = numbers === 'all' ? undefined : numbers.find((number) => !this.list.some((item) => item.number === number));
    if (unknown !== undefined) throw new CommandError(`there is no breakpoint ${unknown}`);
    const removed = this.list.filter((item) => numbers === 'all' || numbers.includes(item.number));
    this.list = this.list.filter((item) => !removed.includes(item));
    for (const item of removed) await this.send(item);
    return removed.map((item) => `Deleted breakpoint ${item.number} at ${where(item)}`);
  }

  /** The numbers of the breakpoints that stop at a line of a file. */
  numbersAt(path: string, line: number): number[] {
    return this.list.filter((item) => item.path === path && item.line === line && item.target.kind === 'line').map((item) => item.number);
  }

  /** The lines of a file where a line breakpoint stops (`B` in a listing). */
  linesOf(path: string): Set<number> {
    return new Set(this.list.flatMap((item) => (item.target.kind === 'line' && item.path === path && item.line !== undefined ? [item.line] : [])));
  }

  /** pdb's `b` listing. */
  table(): string[] {
    if (!this.list.length) return ['No breakpoints.'];
    return ['Num Type         Where', ...this.list.flatMap((item) => [
      `${String(item.number).padEnd(4)}${(item.target.kind === 'line' ? 'breakpoint' : 'function').padEnd(13)}${item.target.kind === 'function' ? `${item.target.name} at ` : ''}${where(item)}`,
      ...(item.condition === undefined ? [] : [`\tstop only if ${item.condition}`]),
    ])];
  }

  /** Resends the set that `changed` belongs to; the answers in the order sent. */
  private async send(changed: Breakpoint): Promise<{ breakpoint: Breakpoint; answer: DebugProtocol.Breakpoint | undefined }[]> {
    const target = changed.target;
    const set = this.list.filter((item) => item.target.kind === target.kind && (target.kind === 'function' || (item.target.kind === 'line' && item.target.path === target.path)));
    const condition = (item: Breakpoint) => (item.condition === undefined ? {} : { condition: item.condition });
    const body = target.kind === 'line'
      ? await this.client.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', {
        source: { path: target.path },
        breakpoints: set.map((item) => ({ line: item.target.kind === 'line' ? item.target.line : 0, ...condition(item) })),
      })
      : await this.client.request<DebugProtocol.SetFunctionBreakpointsResponse>('setFunctionBreakpoints', {
        breakpoints: set.map((item) => ({ name: item.target.kind === 'function' ? item.target.name : '', ...condition(item) })),
      });
    return set.map((breakpoint, i) => ({ breakpoint, answer: body.breakpoints[i] }));
  }
}

function where(item: Breakpoint): string {
  return `${item.path ?? '?'}:${item.line ?? '?'}`;
}
