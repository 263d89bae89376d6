// The breakpoint requests: each setter replaces its kind's rules (line breakpoints per source), which
// the navigator reads through `rules()`; plus dataBreakpointInfo and breakpointLocations.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CHILDREN_UNSUPPORTED, dataBreakpoints, watchableVariable } from './breakpoints/data';
import { exceptionBreakpoints } from './breakpoints/exceptions';
import { functionBreakpoints } from './breakpoints/functions';
import { breakpointLocations, lineBreakpoints, type LineBreakpointSet } from './breakpoints/lines';
import type { StopRule } from './navigator';
import type { Replay } from './replay';

export class BreakpointRequests {
  private readonly lineBreakpointsBySource = new Map<string, LineBreakpointSet>();
  /** Breakpoints not tied to a source, each kind's set replaced by its own request. */
  private readonly rulesByKind = new Map<'function' | 'data' | 'exception', StopRule[]>();

  /** Every breakpoint's rule: line breakpoints first, then the other kinds in the order they were first set. */
  rules(): StopRule[] {
    return [...[...this.lineBreakpointsBySource.values()].map((set) => set.rules), ...this.rulesByKind.values()].flat();
  }

  /** Where the line breakpoints are (the timeline counts their executions). */
  lineLocations(): LineBreakpointSet['locations'] {
    return [...this.lineBreakpointsBySource.values()].flatMap((set) => set.locations);
  }

  setLines(replay: Replay, args: DebugProtocol.SetBreakpointsArguments): DebugProtocol.SetBreakpointsResponse['body'] {
    const set = lineBreakpoints(replay.trace, args, replay.frameLookup);
    this.lineBreakpointsBySource.set(args.source?.path ?? `#${args.source?.sourceReference ?? 0}`, set);
    return { breakpoints: set.answers };
  }

  setFunctions(replay: Replay, args: DebugProtocol.SetFunctionBreakpointsArguments): DebugProtocol.SetFunctionBreakpointsResponse['body'] {
    const set = functionBreakpoints(replay.trace, args.breakpoints ?? [], replay.frameLookup);
    this.rulesByKind.set('function', set.rules);
    return { breakpoints: set.answers };
  }

  setExceptions(replay: Replay, args: DebugProtocol.SetExceptionBreakpointsArguments): DebugProtocol.SetExceptionBreakpointsResponse['body'] {
    const set = exceptionBreakpoints(replay.trace, args.filters ?? [], replay.frameLookup);
    this.rulesByKind.set('exception', set.rules);
    return { breakpoints: set.answers };
  }

  setData(replay: Replay, args: DebugProtocol.SetDataBreakpointsArguments): DebugProtocol.SetDataBreakpointsResponse['body'] {
    const set = dataBreakpoints(replay.trace, args.breakpoints ?? [], replay.frameLookup);
    this.rulesByKind.set('data', set.rules);
    return { breakpoints: set.answers };
  }
}

/** A variable of a Locals or Globals scope (variablesReference + name), or a name in the frame, as a watchable write target. */
export function dataBreakpointInfoBody(replay: Replay, args: DebugProtocol.DataBreakpointInfoArguments): DebugProtocol.DataBreakpointInfoResponse['body'] {
  const container = args.variablesReference ? replay.handles.container(args.variablesReference) : undefined;
  if (args.variablesReference && !container) throw new Error(`variablesReference ${args.variablesReference} is unknown (stale after a step, or never given)`);
  if (container?.kind === 'value') return { dataId: null, description: CHILDREN_UNSUPPORTED };
  if (container) return watchableVariable(replay.trace, args.name, [container]);
  const frame = args.frameId !== undefined ? replay.frame(args.frameId) : replay.topFrame(replay.requirePosition());
  const module = replay.moduleOf(frame);
  return watchableVariable(replay.trace, args.name, [
    { scope: 'locals', seq: frame.seq, invocation: frame.invocation },
    ...(module === undefined ? [] : [{ scope: 'globals' as const, seq: frame.seq, invocation: module }]),
  ]);
}

export function breakpointLocationsBody(replay: Replay, args: DebugProtocol.BreakpointLocationsArguments): DebugProtocol.BreakpointLocationsResponse['body'] {
  return { breakpoints: breakpointLocations(replay.trace, args) };
}
