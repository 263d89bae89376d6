// The `hindsight.goToCall` command behind the call-statistics lenses: moves a debug session that is
// replaying the trace to the start of the invocation (through the goto request file), or, with no
// session, returns the Location of the line that made the call for the client to jump to.
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ErrorCodes, LSPErrorCodes, ResponseError, type Location } from 'vscode-languageserver/node';
import { gotoRequestPending, withdrawGotoRequest, writeGotoRequest } from '../protocol/gotoRequest';
import type { Trace } from '../protocol/reader';
import { splitLines } from '../protocol/sourceText';
import { lineMap } from './documentLines';
import type { ServerContext } from './server';

export const GO_TO_CALL = 'hindsight.goToCall';

export interface GoToCallArguments {
  /** The trace the lens was made from. */
  trace: string;
  invocation: number;
}

/** How long a session has to take the request (it polls every 100 ms) before the client is told to jump itself. */
const SESSION_WAIT_MS = 1000;

/** Null when a debug session took the request and moved; else the Location of the call. */
export async function goToCall(context: ServerContext, args: unknown): Promise<Location | null> {
  const trace = context.workspace.trace;
  if (!isGoToCallArguments(args)) {
    throw new ResponseError(ErrorCodes.InvalidParams, `${GO_TO_CALL} takes one argument: { trace, invocation }`);
  }
  if (!trace || trace.path !== args.trace) throw new ResponseError(LSPErrorCodes.RequestFailed, `the trace ${args.trace} is no longer the one shown; ask for the lenses again`);
  const invocation = trace.invocation(args.invocation);
  if (!invocation) throw new ResponseError(ErrorCodes.InvalidParams, `there is no invocation ${args.invocation} in ${trace.path}`);
  // A cursor file means a session stopped in this trace; it may have ended since, so wait for it to take the request.
  if (context.workspace.cursor()) {
    writeGotoRequest({ trace: trace.path, seq: invocation.firstSeq, writtenAt: Date.now() });
    if (await taken(trace.path)) return null;
    withdrawGotoRequest(trace.path);
  }
  return callSite(context, trace, invocation.firstSeq);
}

function isGoToCallArguments(value: unknown): value is GoToCallArguments {
  const args = value as Partial<GoToCallArguments> | null;
  return typeof args === 'object' && args !== null && typeof args.trace === 'string' && Number.isSafeInteger(args.invocation);
}

async function taken(trace: string): Promise<boolean> {
  for (let waited = 0; waited < SESSION_WAIT_MS; waited += 25) {
    if (!gotoRequestPending(trace)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return !gotoRequestPending(trace);
}

/** The caller's line at the call (the def line for a call with no recorded caller), in today's document. */
function callSite(context: ServerContext, trace: Trace, callSeq: number): Location {
  const [callee, caller] = trace.stackAt(callSeq);
  const frame = caller ?? callee;
  if (!frame) throw new Error(`event ${callSeq} is not in ${trace.path}`);
  const uri = pathToFileURL(frame.code.path).href;
  const open = context.documents.get(uri);
  const text = open?.getText() ?? readOrUndefined(frame.code.path);
  const recorded = trace.source(frame.code.file);
  const line = text !== undefined && recorded !== null ? lineMap(recorded, text).toDocument(frame.line) : undefined;
  if (line === undefined || text === undefined) {
    throw new Error(`line ${frame.line} of ${frame.code.path} changed since the recording (or the file is gone)`);
  }
  const length = (splitLines(text)[line - 1] ?? '').length;
  return { uri, range: { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: length } } };
}

function readOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
