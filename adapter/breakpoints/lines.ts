// Line breakpoints and log points (setBreakpoints), and breakpointLocations: verified against the lines
// the trace ran; a breakpoint on a blank or comment line moves to the next line that ran in its function.
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { SourceFile, Trace } from '../../protocol/reader';
import { EventKind, type FileId, type Line } from '../../protocol/schema';
import { ExpressionError } from '../expression';
import type { StopRule } from '../navigator';
import { newBreakpointId, stopRule, walk, type FrameLookup, type HitSource } from './rule';

export interface BreakpointSet {
  rules: StopRule[];
  /** One per requested breakpoint, in order. */
  answers: DebugProtocol.Breakpoint[];
}

export interface LineBreakpointSet extends BreakpointSet {
  /** The lines of the verified breakpoints and log points (the timeline counts their executions). */
  locations: Location[];
}

export interface Location {
  file: FileId;
  line: Line;
}

/** Builds the rules for one source's breakpoints (a setBreakpoints request replaces that source's set). */
export function lineBreakpoints(trace: Trace, args: DebugProtocol.SetBreakpointsArguments, lookup: FrameLookup): LineBreakpointSet {
  const requested: DebugProtocol.SourceBreakpoint[] = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
  const sourcePath = args.source?.path;
  const file = sourcePath ? trace.fileByPath(path.resolve(sourcePath)) : undefined;
  const rules: StopRule[] = [];
  const locations: Location[] = [];
  const answers = requested.map((breakpoint): DebugProtocol.Breakpoint => {
    const id = newBreakpointId();
    const refuse = (message: string) => ({ id, verified: false, line: breakpoint.line, message });
    if (!file) return refuse(`${sourcePath ?? 'this source'} was not recorded in this trace`);
    const line = ranLine(trace, file, breakpoint.line);
    if (line === undefined) return refuse(`line ${breakpoint.line} never ran in this recording`);
    try {
      rules.push(stopRule({
        id,
        reason: 'breakpoint',
        label: `breakpoint ${id} (${path.basename(file.path)}:${line})`,
        condition: breakpoint.condition,
        hitCondition: breakpoint.hitCondition,
        logMessage: breakpoint.logMessage,
      }, lineSource(trace, { file: file.id, line }), lookup));
    } catch (error) {
      if (error instanceof ExpressionError) return refuse(error.message);
      throw error;
    }
    locations.push({ file: file.id, line });
    return { id, verified: true, line, source: args.source };
  });
  return { rules, answers, locations };
}

/**
 * The lines from `line` to `endLine` (default: that line) that the trace can stop on (they ran); none
 * for a file the trace did not record (clients ask for every file they show, so that is no error).
 */
export function breakpointLocations(trace: Trace, args: DebugProtocol.BreakpointLocationsArguments): DebugProtocol.BreakpointLocation[] {
  const sourcePath = args.source.path;
  const file = sourcePath ? trace.fileByPath(path.resolve(sourcePath)) : undefined;
  if (!file) return [];
  const last = args.endLine ?? args.line;
  return trace.lineStats(file.id).filter((stats) => stats.line >= args.line && stats.line <= last).map((stats) => ({ line: stats.line }));
}

/** The executions of one line, counted in execution order over the whole trace. */
function lineSource(trace: Trace, location: { file: FileId; line: Line }): HitSource {
  const match = { location, kinds: [EventKind.Line] };
  return {
    candidates: (from, direction) => {
      const at = (event: ReturnType<Trace['next']>) => event && { event, key: event.seq };
      return walk(at(trace.next(from, direction, match)), (previous) => at(trace.next(previous.event.seq, direction, match)));
    },
    countUpTo: (key) => trace.countUpTo(key, match),
  };
}

/**
 * The line a breakpoint on `line` stops at: the line itself if it ran; for a blank or comment line, the
 * next line that ran when it belongs to the same function (no other code object starts in between);
 * else undefined. A code line that never ran stays where it is, unverified.
 */
function ranLine(trace: Trace, file: SourceFile, line: Line): Line | undefined {
  const ran = trace.lineStats(file.id).map((stats) => stats.line);
  if (ran.includes(line)) return line;
  const text = trace.source(file.id)?.split('\n')[line - 1];
  if (text === undefined || !/^\s*(#.*)?$/.test(text)) return undefined;
  const next = ran.find((candidate) => candidate > line);
  const event = next === undefined ? undefined : trace.next(0, 'forward', { location: { file: file.id, line: next }, kinds: [EventKind.Line] });
  const owner = event && trace.code(event.code);
  if (!owner || owner.firstLine > line) return undefined;
  const between = trace.codesIn(file.id).some((code) => code.id !== owner.id && code.firstLine >= owner.firstLine && code.firstLine <= line);
  return between ? undefined : next;
}
