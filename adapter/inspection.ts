// The standard DAP inspection requests at the replay's stop (threads, stackTrace, scopes, variables,
// evaluate, completions, source, loadedSources, exceptionInfo): the bodies; custom ones are inspect.ts.
import { Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Seq } from '../protocol/schema';
import { exceptionInfoBody } from './breakpoints/exceptions';
import { completions } from './completions';
import { evaluateExpression } from './expression';
import { replCommand, type ReplMove } from './repl';
import type { Replay } from './replay';
import { stackFrameToDap, type ExitFacts } from './toDap';

/** The session's column conversions (the client chooses its column base in initialize). */
export interface Columns {
  toDebugger(column: number): number;
  toClient(column: number): number;
}

/** Before the first stop, every thread of the trace; then those running at the stop. */
export function threadsBody(replay: Replay | undefined): DebugProtocol.ThreadsResponse['body'] {
  const threads = (replay?.trace.threads() ?? []).filter((thread) => !replay?.position || replay.runningAt(thread.id, replay.position.seq));
  return { threads: threads.map((thread) => new Thread(thread.id, thread.name)) };
}

export function stackTraceBody(replay: Replay, args: DebugProtocol.StackTraceArguments): DebugProtocol.StackTraceResponse['body'] {
  const { trace, sources } = replay;
  const seq = replay.seqOfThread(args.threadId);
  if (seq === undefined) throw new Error(replay.notRunning(args.threadId));
  const frames = trace.stackAt(seq);
  const start = args.startFrame ?? 0;
  const page = frames.slice(start, args.levels ? start + args.levels : undefined);
  const files = new Map(trace.files().map((file) => [file.id, file]));
  return {
    stackFrames: page.map((frame) => {
      const file = files.get(frame.code.file);
      if (!file) throw new Error(`code ${frame.code.id} names file ${frame.code.file}, which the trace lacks`);
      return stackFrameToDap(frame, file, sources);
    }),
    totalFrames: frames.length,
  };
}

export function scopesBody(replay: Replay, args: DebugProtocol.ScopesArguments): DebugProtocol.ScopesResponse['body'] {
  const frame = replay.frame(args.frameId);
  return { scopes: replay.handles.scopes(frame.seq, frame.invocation, replay.moduleOf(frame)) };
}

export function variablesBody(replay: Replay, args: DebugProtocol.VariablesArguments): DebugProtocol.VariablesResponse['body'] {
  const { trace } = replay;
  const read = (scope: { scope: 'locals' | 'globals'; seq: Seq; invocation: number }) => (scope.scope === 'locals'
    ? trace.valuesAt(scope.invocation, scope.seq)
    : trace.globalsAt(scope.seq, scope.invocation));
  // A caller's Locals are read at the stop too, whose event is its callee's: only the frame's own exit counts.
  const exitAt = (scope: { seq: Seq; invocation: number }): ExitFacts => {
    const event = trace.event(scope.seq);
    return event?.invocation === scope.invocation ? replay.exitFacts(event) : {};
  };
  return { variables: replay.handles.variables(args.variablesReference, args, read, exitAt) };
}

/** An expression on the frame's recorded values, or a `:command` of the console (which may ask for a move, made after the answer). */
export function evaluation(replay: Replay, args: DebugProtocol.EvaluateArguments): { body: DebugProtocol.EvaluateResponse['body']; move?: ReplMove } {
  const position = replay.requirePosition();
  const frame = args.frameId !== undefined ? replay.frame(args.frameId) : replay.topFrame(position);
  // No Python expression starts with ':'; Helix evaluates without a context, so no context counts as the console.
  if ((args.context === 'repl' || args.context === undefined) && args.expression.trimStart().startsWith(':')) {
    const command = replCommand(args.expression, replay.navigator, position, frame, replay.trace);
    return { body: { result: command.text, variablesReference: 0 }, move: command.move };
  }
  const value = evaluateExpression(args.expression, replay.lookupAt(frame));
  const variable = replay.handles.variable(args.expression, value);
  return { body: { result: variable.value, type: variable.type, variablesReference: variable.variablesReference,
    indexedVariables: variable.indexedVariables, namedVariables: variable.namedVariables } };
}

/** Before the first stop there is no frame: only the console's `:commands` complete. */
export function completionsBody(replay: Replay | undefined, args: DebugProtocol.CompletionsArguments, columns: Columns): DebugProtocol.CompletionsResponse['body'] {
  const frame = replay?.position && (args.frameId !== undefined ? replay.frame(args.frameId) : replay.topFrame(replay.position));
  const offset = columns.toDebugger(args.column) - 1;
  const found = completions(args.text, offset, replay && frame && { names: replay.namesAt(frame), lookup: replay.lookupAt(frame) });
  return {
    targets: found.map((item) => ({ label: item.label, type: item.type, start: columns.toClient(item.start + 1), length: item.length })),
  };
}

export function sourceBody(replay: Replay, args: DebugProtocol.SourceArguments): DebugProtocol.SourceResponse['body'] {
  const { trace } = replay;
  const file = args.source?.path ? trace.fileByPath(args.source.path) : undefined;
  const id = args.sourceReference || args.source?.sourceReference || file?.id;
  // Neither given (or an empty path): there is nothing to name in the error below.
  if (!id && !args.source?.path && !args.source?.name) throw new Error("'source' needs 'source.path' or a 'sourceReference'");
  const content = id ? trace.source(id) : null;
  if (content === null) {
    const missing = (file ?? (id ? trace.files().find((f) => f.id === id) : undefined))?.missing;
    throw new Error(`the trace holds no text for ${args.source?.path ?? args.source?.name ?? `source ${id}`}${missing ? `: ${missing}` : ''}`);
  }
  return { content, mimeType: 'text/x-python' };
}

export function loadedSourcesBody(replay: Replay): DebugProtocol.LoadedSourcesResponse['body'] {
  return { sources: replay.trace.files().map((file) => replay.sources.toDap(file)) };
}

/** The exception a thread is stopped on: at its raise, or in a frame it leaves. */
export function threadExceptionBody(replay: Replay, args: DebugProtocol.ExceptionInfoArguments): DebugProtocol.ExceptionInfoResponse['body'] {
  const { trace } = replay;
  const seq = replay.seqOfThread(args.threadId);
  const event = seq === undefined ? undefined : trace.event(seq);
  const exception = event?.arg === null || event?.arg === undefined ? undefined : trace.exception(event.arg);
  if (!exception) throw new Error(`thread ${args.threadId} is not stopped on an exception (its raise, or a frame it leaves)`);
  return exceptionInfoBody(trace, exception);
}
