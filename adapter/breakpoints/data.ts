// Data breakpoints on writes to one variable of one invocation (a local of that call, or a global of
// that module's run), from a Locals or Globals scope. Forward a write stops where its new value is
// first visible; backward, on the line that made it, before it ran (the old value visible).
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Trace, TraceEvent } from '../../protocol/reader';
import type { InvocationId, Seq, VariableId } from '../../protocol/schema';
import { ExpressionError } from '../expression';
import { STOP_KINDS, type StopRule } from '../navigator';
import type { BreakpointSet } from './lines';
import { newBreakpointId, stopRule, walk, type FrameLookup, type HitSource } from './rule';

/** What a dataId names (DAP carries it as opaque text: this, as JSON). */
export interface WatchedVariable {
  variable: VariableId;
  invocation: InvocationId;
  name: string;
}

/** Why an element or attribute cannot be watched. */
export const CHILDREN_UNSUPPORTED = 'only variables can be watched: the recording cannot tell one object from another over time '
  + '(CPython reuses ids), so an element or attribute cannot be followed';

/** A frame's Locals or Globals (the invocation is the module's for globals) at a seq. */
export interface ScopeAt {
  scope: 'locals' | 'globals';
  seq: Seq;
  invocation: InvocationId;
}

/** The dataBreakpointInfo answer for `name`, looked up in the scopes in order. */
export function watchableVariable(trace: Trace, name: string, scopes: ScopeAt[]): DebugProtocol.DataBreakpointInfoResponse['body'] {
  for (const scope of scopes) {
    const values = scope.scope === 'locals' ? trace.valuesAt(scope.invocation, scope.seq) : trace.globalsAt(scope.seq, scope.invocation);
    const found = values.find((value) => value.name === name);
    if (!found) continue;
    const code = trace.code(trace.invocation(scope.invocation)?.code ?? -1);
    const owner = scope.scope === 'locals' ? `this call of ${code?.qualname ?? 'the frame'}` : 'this run of the module';
    const watched: WatchedVariable = { variable: found.variable, invocation: scope.invocation, name };
    return { dataId: JSON.stringify(watched), description: `${name} (in ${owner}): writes`, accessTypes: ['write'], canPersist: false };
  }
  return { dataId: null, description: `'${name}' is not a variable bound here: only variables can be watched` };
}

export function dataBreakpoints(trace: Trace, requested: DebugProtocol.DataBreakpoint[], lookup: FrameLookup): BreakpointSet {
  const rules: StopRule[] = [];
  const answers = requested.map((breakpoint): DebugProtocol.Breakpoint => {
    const id = newBreakpointId();
    const refuse = (message: string) => ({ id, verified: false, message });
    const watched = parseDataId(breakpoint.dataId);
    if (!watched || !trace.invocation(watched.invocation)) return refuse(`'${breakpoint.dataId}' is not a data id given by dataBreakpointInfo for this trace`);
    if (breakpoint.accessType && breakpoint.accessType !== 'write') return refuse(`only writes can be watched, not '${breakpoint.accessType}' (a recording has no reads)`);
    try {
      rules.push(stopRule({
        id,
        reason: 'data breakpoint',
        label: `data breakpoint ${id} (${watched.name})`,
        condition: breakpoint.condition,
        hitCondition: breakpoint.hitCondition,
      }, writeSource(trace, watched), lookup));
    } catch (error) {
      if (error instanceof ExpressionError) return refuse(error.message);
      throw error;
    }
    return { id, verified: true };
  });
  return { rules, answers };
}

/**
 * The writes of a variable, counted by the seq where each change was observed (S). Forward, a write
 * stops at S (the first stop point from S on, in its thread); backward, at the line of that frame
 * that ran just before S (the line that made the change: for a write inside a callee, the call line).
 */
function writeSource(trace: Trace, watched: WatchedVariable): HitSource {
  const { variable, invocation } = watched;
  const forwardStop = (seq: Seq) => {
    const observed = trace.event(seq);
    if (!observed || STOP_KINDS.includes(observed.kind)) return observed;
    return trace.next(seq, 'forward', { thread: observed.thread, kinds: STOP_KINDS });
  };
  const backwardStop = (seq: Seq) => {
    const observed = trace.event(seq);
    if (!observed) return undefined;
    const previous = trace.next(seq, 'backward', { invocation: observed.invocation });
    if (previous && STOP_KINDS.includes(previous.kind)) return previous;
    return trace.next(seq, 'backward', { thread: observed.thread, kinds: STOP_KINDS });
  };
  return {
    candidates: (from, direction) => {
      const stopOf = direction === 'forward' ? forwardStop : backwardStop;
      const hitAt = (seq: Seq | undefined): { event: TraceEvent; key: Seq } | undefined => {
        for (let change = seq; change !== undefined; change = trace.nextChange(variable, invocation, change, direction)) {
          const event = stopOf(change);
          if (event) return { event, key: change };
        }
        return undefined;
      };
      // Backward, a change observed at `from` itself was made by a line before it: it is crossed.
      const start = direction === 'forward' ? from : from + 1;
      return walk(hitAt(trace.nextChange(variable, invocation, start, direction)), (previous) => hitAt(trace.nextChange(variable, invocation, previous.key, direction)));
    },
    countUpTo: (key) => trace.changesUpTo(variable, invocation, key),
  };
}

function parseDataId(dataId: string): WatchedVariable | undefined {
  try {
    const value = JSON.parse(dataId) as Partial<WatchedVariable>;
    if (Number.isInteger(value.variable) && Number.isInteger(value.invocation) && typeof value.name === 'string') return value as WatchedVariable;
  } catch {
    // Not JSON: not one of ours.
  }
  return undefined;
}
