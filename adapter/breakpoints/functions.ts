// Function breakpoints (setFunctionBreakpoints): stop at the first line of each invocation of the
// functions named `qualname`, `name`, `file.py:qualname` or `module:qualname`; verified only when one ran.
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Code, Direction, Trace, TraceEvent } from '../../protocol/reader';
import { EventKind, type Seq } from '../../protocol/schema';
import { ExpressionError } from '../expression';
import type { StopRule } from '../navigator';
import { newBreakpointId, stopRule, walk, type FrameLookup, type HitSource, type SourceHit } from './rule';
import type { BreakpointSet } from './lines';

const CALLABLE_KINDS = new Set<Code['kind']>(['function', 'generator', 'coroutine', 'async_generator']);

export function functionBreakpoints(trace: Trace, requested: DebugProtocol.FunctionBreakpoint[], lookup: FrameLookup): BreakpointSet {
  const rules: StopRule[] = [];
  const answers = requested.map((breakpoint): DebugProtocol.Breakpoint => {
    const id = newBreakpointId();
    const codes = codesMatching(trace, breakpoint.name.trim());
    if (!codes.length) return { id, verified: false, message: `no function named '${breakpoint.name}' ran in this recording` };
    try {
      rules.push(stopRule({
        id,
        reason: 'function breakpoint',
        label: `function breakpoint ${id} (${breakpoint.name})`,
        condition: breakpoint.condition,
        hitCondition: breakpoint.hitCondition,
      }, mergedSources(codes.map((code) => invocationSource(trace, code))), lookup));
    } catch (error) {
      if (error instanceof ExpressionError) return { id, verified: false, message: error.message };
      throw error;
    }
    const [first] = codes;
    const file = first && trace.files().find((candidate) => candidate.id === first.file);
    return { id, verified: true, line: first?.firstLine, source: file && { name: path.basename(file.path), path: file.path } };
  });
  return { rules, answers };
}

/**
 * Functions (not modules or class bodies) whose qualname or name is `name`, or given as `where:qualname`
 * where `where` is a file path suffix (`shop/cart.py`) or a module name (`shop.cart`).
 */
function codesMatching(trace: Trace, name: string): Code[] {
  const colon = name.lastIndexOf(':');
  const [where, qualname] = colon > 0 ? [name.slice(0, colon), name.slice(colon + 1)] : [undefined, name];
  const modulePath = where?.split('.').join(path.sep);
  const suffixes = where === undefined ? [] : [where, `${modulePath}.py`, `${modulePath}${path.sep}__init__.py`];
  const inFile = (code: Code) => where === undefined || suffixes.some((suffix) => code.path === suffix || code.path.endsWith(`${path.sep}${suffix}`));
  return trace.files().flatMap((candidate) => trace.codesIn(candidate.id))
    .filter((code) => CALLABLE_KINDS.has(code.kind) && (code.qualname === qualname || code.name === qualname) && inFile(code));
}

/** A code's invocations, each hit at its first LINE event and counted by its CALL. */
function invocationSource(trace: Trace, code: Code): HitSource {
  const calls = { code: code.id, kinds: [EventKind.Call] };
  const firstLine = (call: TraceEvent) => trace.next(call.seq, 'forward', { invocation: call.invocation, kinds: [EventKind.Line] });
  const hitOf = (call: TraceEvent | undefined) => {
    const line = call && firstLine(call);
    return line && { event: line, key: call.seq };
  };
  return {
    candidates: (from, direction) => {
      const beyond = (hit: SourceHit | undefined) => hit && (direction === 'forward' ? hit.event.seq > from : hit.event.seq < from);
      /** The first invocation from `call` on (that way) whose first line lies beyond `from`. */
      const firstBeyond = (call: TraceEvent | undefined): SourceHit | undefined => {
        for (let candidate = call; candidate; candidate = trace.next(candidate.seq, direction, calls)) {
          const hit = hitOf(candidate);
          if (beyond(hit)) return hit;
        }
        return undefined;
      };
      // Forward, an invocation that started at or before `from` may not have reached its first line yet.
      const started = direction === 'forward' ? hitOf(trace.next(from + 1, 'backward', calls)) : undefined;
      const first = beyond(started) ? started : firstBeyond(trace.next(from, direction, calls));
      return walk(first, (previous) => firstBeyond(trace.next(previous.key, direction, calls)));
    },
    countUpTo: (key) => trace.invocationsUpTo(code.id, key),
  };
}

/** Several codes' hits as one source, in travel order (a name matching methods of several classes). */
function mergedSources(sources: HitSource[]): HitSource {
  if (sources.length === 1 && sources[0]) return sources[0];
  return {
    candidates: (from: Seq, direction: Direction) => merge(sources.map((source) => source.candidates(from, direction)[Symbol.iterator]()), direction),
    countUpTo: (key) => sources.reduce((sum, source) => sum + source.countUpTo(key), 0),
  };
}

/** Sorted streams merged into one, nearest first that way. */
function* merge(streams: Iterator<SourceHit>[], direction: Direction): Iterable<SourceHit> {
  const heads = streams.map((stream) => stream.next());
  const nearer = (a: SourceHit, b: SourceHit) => (direction === 'forward' ? a.event.seq < b.event.seq : a.event.seq > b.event.seq);
  for (;;) {
    let best: number | undefined;
    heads.forEach((head, i) => {
      const current = best === undefined ? undefined : heads[best];
      if (!head.done && (!current || current.done || nearer(head.value, current.value))) best = i;
    });
    const head = best === undefined ? undefined : heads[best];
    const stream = best === undefined ? undefined : streams[best];
    if (best === undefined || !head || head.done || !stream) return;
    yield head.value;
    heads[best] = stream.next();
  }
}
