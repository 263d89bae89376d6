// Line breakpoints as navigator StopRules: verified against lines the trace stops on, `condition` a safe
// expression on recorded values, `hitCondition` counted over the whole trace (absolute executions).
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Trace, TraceEvent } from '../protocol/reader';
import { EventKind } from '../protocol/schema';
import { ExpressionError, evaluateAst, parseExpression, truthy, type NameLookup } from './expression';
import type { StopRule } from './navigator';

/** The values visible at an event's frame (locals, then globals), for conditions. */
export type FrameLookup = (event: TraceEvent) => NameLookup;

export interface BreakpointSet {
  rules: StopRule[];
  /** One per requested breakpoint, in order. */
  answers: DebugProtocol.Breakpoint[];
}

let nextId = 1;

/** A log point's text at a hit: each {expression} replaced by its recorded value, or by <error: …>. */
export function logText(template: string, lookup: NameLookup, render: (node: ReturnType<typeof evaluateAst>) => string): string {
  return template.replace(/\{([^{}]+)\}/g, (_, expression: string) => {
    try {
      return render(evaluateAst(parseExpression(expression), lookup));
    } catch (error) {
      return `<error: ${(error as Error).message}>`;
    }
  });
}

/** Builds the rules for one source's breakpoints (a setBreakpoints request replaces that source's set). */
export function lineBreakpoints(trace: Trace, args: DebugProtocol.SetBreakpointsArguments, lookup: FrameLookup): BreakpointSet {
  const requested: DebugProtocol.SourceBreakpoint[] = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
  const sourcePath = args.source?.path;
  const file = sourcePath ? trace.fileByPath(path.resolve(sourcePath)) : undefined;
  const rules: StopRule[] = [];
  const answers = requested.map((breakpoint): DebugProtocol.Breakpoint => {
    const id = nextId++;
    const refuse = (message: string) => ({ id, verified: false, line: breakpoint.line, message });
    if (!file) return refuse(`${sourcePath ?? 'this source'} was not recorded in this trace`);
    const location = { file: file.id, line: breakpoint.line };
    if (!trace.next(0, 'forward', { location, kinds: [EventKind.Line] })) {
      return refuse(`line ${breakpoint.line} never ran in this recording`);
    }
    try {
      const condition = breakpoint.condition?.trim() ? parseExpression(breakpoint.condition) : undefined;
      const hits = breakpoint.hitCondition?.trim() ? parseHitCondition(breakpoint.hitCondition) : undefined;
      rules.push({
        id,
        location,
        action: breakpoint.logMessage === undefined ? 'stop' : 'log',
        message: breakpoint.logMessage ?? '',
        accepts: (event) => (!hits || hits(trace.countUpTo(event.seq, { location, kinds: [EventKind.Line] })))
          && (!condition || holds(() => truthy(evaluateAst(condition, lookup(event))))),
      });
    } catch (error) {
      if (error instanceof ExpressionError) return refuse(error.message);
      throw error;
    }
    return { id, verified: true, line: breakpoint.line, source: args.source };
  });
  return { rules, answers };
}

/** A condition that cannot be evaluated at a hit (a name not yet bound) does not stop there. */
function holds(check: () => boolean): boolean {
  try {
    return check();
  } catch (error) {
    if (error instanceof ExpressionError) return false;
    throw error;
  }
}

/** "3" or "== 3" (exactly the 3rd execution), ">= 3", "> 3", "< 3", "<= 3", "% 3" (every 3rd). */
function parseHitCondition(text: string): (count: number) => boolean {
  const match = /^\s*(==|>=|>|<=|<|%)?\s*(\d+)\s*$/.exec(text);
  if (!match) throw new ExpressionError(`hit count '${text}' is not understood: use N, == N, >= N, > N, <= N, < N or % N`);
  const n = Number(match[2]);
  switch (match[1]) {
    case '>=': return (count) => count >= n;
    case '>': return (count) => count > n;
    case '<=': return (count) => count <= n;
    case '<': return (count) => count < n;
    case '%': return (count) => n > 0 && count % n === 0;
    default: return (count) => count === n;
  }
}
