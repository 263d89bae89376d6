// HindsightSession: translates DAP requests into navigator moves and reader queries, one short handler
// per request; every failure becomes an error response, and a move is answered before its `stopped`.
import { DebugSession, InitializedEvent, OutputEvent, Response, StoppedEvent, TerminatedEvent, Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { removeCursor, writeCursor, type CursorRecord } from '../protocol/cursor';
import { exceptionText } from '../protocol/exceptionText';
import { frameFromId, type FramePosition } from '../protocol/frameId';
import { Trace, type TraceEvent } from '../protocol/reader';
import { CustomRequest, type GotoPositionArguments, type ReverseStepArguments } from '../protocol/requests';
import { EventKind, type Seq, type ThreadId } from '../protocol/schema';
import { render, type ValueNode } from '../protocol/values';
import { CHILDREN_UNSUPPORTED, dataBreakpoints, watchableVariable } from './breakpoints/data';
import { EXCEPTION_FILTERS, exceptionBreakpoints, exceptionInfoBody } from './breakpoints/exceptions';
import { functionBreakpoints } from './breakpoints/functions';
import { breakpointLocations, lineBreakpoints, type LineBreakpointSet } from './breakpoints/lines';
import { logText, type FrameLookup } from './breakpoints/rule';
import { completions } from './completions';
import { evaluateExpression, type NameLookup } from './expression';
import { callTreeBody, positionInfoBody, timelineBody, traceStatusWarning, valueHistoryBody } from './inspect';
import { LaunchRecording, type ProgressReporting } from './launch';
import { launchPlan, type FirstStop, type LaunchArguments } from './launchArguments';
import { lineExecutions } from './lineExecutions';
import { Navigator, type Direction, type Position, type Stop, type StopRule } from './navigator';
import { replCommand, type ReplMove } from './repl';
import { argumentProblem } from './requestArguments';
import { followGotoRequests } from './gotoChannel';
import { gotoTargetsToDap, Sources, stackFrameToDap, VariableHandles, type ExitFacts } from './toDap';

interface AttachArguments extends DebugProtocol.AttachRequestArguments {
  /** The trace file to replay. */
  trace?: string;
  stopOnEntry?: boolean;
}

const END_TEXT = { end: 'End of recording', start: 'Beginning of recording' } as const;

export class HindsightSession extends DebugSession {
  private replay: { trace: Trace; navigator: Navigator; sources: Sources } | undefined;
  private position: Position | undefined;
  /** The cursor record this session wrote last. */
  private cursor: CursorRecord | undefined;
  private readonly handles = new VariableHandles();
  private readonly lineBreakpointsBySource = new Map<string, LineBreakpointSet>();
  /** Breakpoints not tied to a source, each kind's set replaced by its own request. */
  private readonly rulesByKind = new Map<'function' | 'data' | 'exception', StopRule[]>();
  /** Names visible at an event's frame, for breakpoint conditions and log messages. */
  private readonly frameLookup: FrameLookup = (event) => this.lookupAt({ seq: event.seq, invocation: event.invocation });
  private configured!: () => void;
  private readonly configurationDone = new Promise<void>((resolve) => { this.configured = resolve; });
  /** Set by the first launch or attach (cleared if it fails): one program or trace per session. */
  private started = false;
  private recording: LaunchRecording | undefined;
  private progress: ProgressReporting = 'silent';
  /** Stops following the language server's goto requests (set while replaying). */
  private stopFollowingGotos: (() => void) | undefined;

  /** `onEnd` runs once the client disconnected and the trace is closed (the entry point ends the process or socket). */
  constructor(private readonly onEnd: () => void) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.on('close', () => this.dispose());
  }

  /** The connection is gone (with or without disconnect) or the server is ending: nothing may outlive it. */
  override dispose(): void {
    this.recording?.kill();
    this.endReplay();
  }

  /** Stops following gotos, withdraws this session's cursor (the language server then shows no stop) and closes the trace. */
  private endReplay(): void {
    this.stopFollowingGotos?.();
    if (this.cursor) removeCursor(this.cursor);
    this.cursor = undefined;
    this.replay?.trace.close();
    this.replay = undefined;
  }

  /** Missing arguments become {}; DAP says a missing pathFormat means 'path' but the base class refuses it. */
  protected override dispatchRequest(request: DebugProtocol.Request): void {
    if (typeof request.arguments !== 'object' || request.arguments === null) request.arguments = {};
    if (request.command === 'initialize') request.arguments = { pathFormat: 'path', ...(request.arguments ?? {}) };
    const problem = argumentProblem(request.command, request.arguments);
    if (problem) return this.sendErrorResponse(new Response(request), { id: 1, format: problem, showUser: true });
    super.dispatchRequest(request);
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse, args: DebugProtocol.InitializeRequestArguments): void {
    this.progress = args.supportsProgressReporting === true ? 'progress' : 'silent';
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsTerminateRequest: true,
      supportsStepBack: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsFunctionBreakpoints: true,
      supportsDataBreakpoints: true,
      exceptionBreakpointFilters: EXCEPTION_FILTERS,
      supportsExceptionInfoRequest: true,
      supportsBreakpointLocationsRequest: true,
      supportsEvaluateForHovers: true,
      supportsCompletionsRequest: true,
      completionTriggerCharacters: ['.', '[', ':'],
      supportsDelayedStackTraceLoading: true,
      supportsSteppingGranularity: true,
      supportsGotoTargetsRequest: true,
      supportsRestartFrame: true,
      supportsLoadedSourcesRequest: true,
    };
    this.sendResponse(response);
  }

  /** Records the program (launch.ts), then replays its trace; pause during recording stops at the end of what was recorded. */
  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchArguments): void {
    let firstStop: Stop | undefined;
    this.handle(response, () => this.starting(async () => {
      const plan = launchPlan(args);
      this.recording = new LaunchRecording(plan.recorder, (event) => this.sendEvent(event), this.progress);
      const recorded = await this.recording.finished.finally(() => { this.recording = undefined; });
      firstStop = await this.startReplay(await Trace.open(recorded.trace), recorded.stoppedBy === 'pause' ? 'end' : plan.firstStop);
    }), () => this.moveTo(firstStop));
  }

  protected override attachRequest(response: DebugProtocol.AttachResponse, args: AttachArguments): void {
    let firstStop: Stop | undefined;
    this.handle(response, () => this.starting(async () => {
      if (!args.trace) throw new Error("'trace' (the path of a trace file) is required to attach");
      firstStop = await this.startReplay(await Trace.open(args.trace), args.stopOnEntry === false ? 'first-breakpoint' : 'entry');
    }), () => this.moveTo(firstStop));
  }

  /** While recording: stops the program and replays what was recorded, stopped at its end. Replaying: always stopped already. */
  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.handle(response, () => this.recording?.stop('pause'));
  }

  /** While recording: ends the program as Ctrl-C does, then replays as if it had ended by itself. Otherwise ends the session. */
  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    const recording = this.recording;
    this.handle(response, () => recording?.stop('terminate'), () => {
      if (!recording) this.sendEvent(new TerminatedEvent());
    });
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.configured();
  }

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    this.handle(response, () => {
      const { trace } = this.requireReplay();
      const set = lineBreakpoints(trace, args, this.frameLookup);
      this.lineBreakpointsBySource.set(args.source?.path ?? `#${args.source?.sourceReference ?? 0}`, set);
      return { breakpoints: set.answers };
    });
  }

  protected override breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse, args: DebugProtocol.BreakpointLocationsArguments): void {
    this.handle(response, () => ({ breakpoints: breakpointLocations(this.requireReplay().trace, args) }));
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.handle(response, () => {
      const set = functionBreakpoints(this.requireReplay().trace, args.breakpoints ?? [], this.frameLookup);
      this.rulesByKind.set('function', set.rules);
      return { breakpoints: set.answers };
    });
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.handle(response, () => {
      const set = exceptionBreakpoints(this.requireReplay().trace, args.filters ?? [], this.frameLookup);
      this.rulesByKind.set('exception', set.rules);
      return { breakpoints: set.answers };
    });
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse, args: DebugProtocol.ExceptionInfoArguments): void {
    this.handle(response, () => {
      const { trace } = this.requireReplay();
      const seq = this.seqOfThread(args.threadId);
      const event = seq === undefined ? undefined : trace.event(seq);
      const exception = event?.arg === null || event?.arg === undefined ? undefined : trace.exception(event.arg);
      if (!exception) throw new Error(`thread ${args.threadId} is not stopped on an exception (its raise, or a frame it leaves)`);
      return exceptionInfoBody(trace, exception);
    });
  }

  /** A variable of a Locals or Globals scope (variablesReference + name), or a name in the frame, as a watchable write target. */
  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    this.handle(response, () => {
      const { trace } = this.requireReplay();
      const container = args.variablesReference ? this.handles.container(args.variablesReference) : undefined;
      if (args.variablesReference && !container) throw new Error(`variablesReference ${args.variablesReference} is unknown (stale after a step, or never given)`);
      if (container?.kind === 'value') return { dataId: null, description: CHILDREN_UNSUPPORTED };
      if (container) return watchableVariable(trace, args.name, [container]);
      const frame = args.frameId !== undefined ? this.frame(args.frameId) : this.topFrame(this.requirePosition());
      const module = this.moduleOf(frame);
      return watchableVariable(trace, args.name, [
        { scope: 'locals', seq: frame.seq, invocation: frame.invocation },
        ...(module === undefined ? [] : [{ scope: 'globals' as const, seq: frame.seq, invocation: module }]),
      ]);
    });
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    this.handle(response, () => {
      const set = dataBreakpoints(this.requireReplay().trace, args.breakpoints ?? [], this.frameLookup);
      this.rulesByKind.set('data', set.rules);
      return { breakpoints: set.answers };
    });
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    this.handle(response, () => {
      const threads = (this.replay?.trace.threads() ?? []).filter((thread) => !this.position || this.runningAt(thread.id, this.position.seq));
      return { threads: threads.map((thread) => new Thread(thread.id, thread.name)) };
    });
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.handle(response, () => {
      const { trace, sources } = this.requireReplay();
      const seq = this.seqOfThread(args.threadId);
      if (seq === undefined) throw new Error(this.notRunning(args.threadId));
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
    });
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.handle(response, () => {
      const frame = this.frame(args.frameId);
      return { scopes: this.handles.scopes(frame.seq, frame.invocation, this.moduleOf(frame)) };
    });
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.handle(response, () => {
      const { trace } = this.requireReplay();
      const read = (scope: { scope: 'locals' | 'globals'; seq: Seq; invocation: number }) => (scope.scope === 'locals'
        ? trace.valuesAt(scope.invocation, scope.seq)
        : trace.globalsAt(scope.seq, scope.invocation));
      const exitAt = (seq: Seq): ExitFacts => this.exitFacts(trace.event(seq));
      return { variables: this.handles.variables(args.variablesReference, args, read, exitAt) };
    });
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    let move: ReplMove | undefined;
    this.handle(response, () => {
      const replay = this.requireReplay();
      const position = this.requirePosition();
      const frame = args.frameId !== undefined ? this.frame(args.frameId) : this.topFrame(position);
      if (args.context === 'repl' && args.expression.trimStart().startsWith(':')) {
        const command = replCommand(args.expression, replay.navigator, position, frame, replay.trace);
        move = command.move;
        return { result: command.text, variablesReference: 0 };
      }
      const value = evaluateExpression(args.expression, this.lookupAt(frame));
      const variable = this.handles.variable(args.expression, value);
      return { result: variable.value, type: variable.type, variablesReference: variable.variablesReference,
        indexedVariables: variable.indexedVariables, namedVariables: variable.namedVariables };
    }, () => move && this.moveTo(move()));
  }

  protected override completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    this.handle(response, () => {
      const frame = !this.position ? undefined : args.frameId !== undefined ? this.frame(args.frameId) : this.topFrame(this.position);
      const offset = this.convertClientColumnToDebugger(args.column) - 1;
      const found = completions(args.text, offset, frame && { names: this.namesAt(frame), lookup: this.lookupAt(frame) });
      return {
        targets: found.map((item) => ({ label: item.label, type: item.type, start: this.convertDebuggerColumnToClient(item.start + 1), length: item.length })),
      };
    });
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse): void {
    this.handle(response, () => {
      throw new Error('a recording cannot be changed: setting a variable is not possible while replaying a trace');
    });
  }

  protected override sourceRequest(response: DebugProtocol.SourceResponse, args: DebugProtocol.SourceArguments): void {
    this.handle(response, () => {
      const { trace } = this.requireReplay();
      const file = args.source?.path ? trace.fileByPath(args.source.path) : undefined;
      const id = args.sourceReference || args.source?.sourceReference || file?.id;
      const content = id ? trace.source(id) : null;
      if (content === null) throw new Error(`the trace holds no text for ${args.source?.path ?? `source ${id}`}`);
      return { content, mimeType: 'text/x-python' };
    });
  }

  protected override loadedSourcesRequest(response: DebugProtocol.LoadedSourcesResponse): void {
    this.handle(response, () => {
      const { trace, sources } = this.requireReplay();
      return { sources: trace.files().map((file) => sources.toDap(file)) };
    });
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.step(response, args, 'forward', (navigator, from) => navigator.stepOver(from, 'forward'));
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    this.step(response, args, 'backward', (navigator, from) => navigator.stepOver(from, 'backward'));
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.step(response, args, 'forward', (navigator, from) => navigator.stepIn(from, 'forward'));
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.step(response, args, 'forward', (navigator, from) => navigator.stepOut(from));
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse, args: DebugProtocol.ContinueArguments): void {
    this.move(response, args.threadId, (navigator, from) => navigator.run(from, 'forward'));
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse, args: DebugProtocol.ReverseContinueArguments): void {
    this.move(response, args.threadId, (navigator, from) => navigator.run(from, 'backward'));
  }

  protected override gotoTargetsRequest(response: DebugProtocol.GotoTargetsResponse, args: DebugProtocol.GotoTargetsArguments): void {
    this.handle(response, () => ({ targets: gotoTargetsToDap(lineExecutions(this.requireReplay().trace, args.source?.path, args.line)) }));
  }

  protected override gotoRequest(response: DebugProtocol.GotoResponse, args: DebugProtocol.GotoArguments): void {
    this.jump(response, () => this.requireReplay().navigator.goto(args.targetId), () => `goto target ${args.targetId} is not an event of this trace`);
  }

  protected override restartFrameRequest(response: DebugProtocol.RestartFrameResponse, args: DebugProtocol.RestartFrameArguments): void {
    this.jump(response, () => this.requireReplay().navigator.frameStart(this.frame(args.frameId).invocation),
      () => `frame ${args.frameId} has no line to restart at`);
  }

  /** Hindsight's own requests (protocol/requests.ts); anything else is an unknown command. */
  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    const handlers: Record<string, (response: DebugProtocol.Response, args: any) => void> = {
      [CustomRequest.reverseStepIn]: (response, args: ReverseStepArguments) => this.step(response, args, 'backward',
        (navigator, from) => navigator.stepIn(from, 'backward')),
      [CustomRequest.reverseStepOut]: (response, args: ReverseStepArguments) => this.step(response, args, 'backward',
        (navigator, from) => navigator.stepOutBackward(from)),
      [CustomRequest.gotoPosition]: (response, args: GotoPositionArguments) => this.jump(response, () => this.gotoPosition(args),
        () => `thread ${args.threadId} has no stop point at or after event ${args.seq}`),
      timeline: (response, args) => this.handle(response, () => timelineBody(this.requireReplay().trace, args,
        [...this.lineBreakpointsBySource.values()].flatMap((set) => set.locations))),
      callTree: (response, args) => this.handle(response, () => callTreeBody(this.requireReplay().trace, args)),
      valueHistory: (response, args) => this.handle(response, () => valueHistoryBody(this.requireReplay().trace, args, (id) => this.frame(id))),
      positionInfo: (response) => this.handle(response, () => positionInfoBody(this.requireReplay().trace, this.requirePosition())),
    };
    const handler = handlers[command];
    if (handler) handler(response, args ?? {});
    else this.handle(response, () => { throw new Error(`unknown request '${command}'`); });
  }

  /** A recording in progress is killed first (its launch fails), so that no process outlives the session. */
  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    const recording = this.recording;
    recording?.kill();
    const killed = recording?.finished.catch(() => undefined) ?? Promise.resolve();
    // setImmediate: after the launch has answered (its error response is a few microtasks away).
    void killed.then(() => new Promise((resolve) => setImmediate(resolve))).then(() => {
      this.endReplay();
      this.sendResponse(response);
      this.onEnd();
    });
  }

  /** Runs a launch or attach, refused when the session has one already; a failed one may be retried. */
  private async starting(work: () => Promise<void>): Promise<void> {
    if (this.started) throw new Error('this session has already launched or attached; start a new session for another program or trace');
    this.started = true;
    try {
      await work();
    } catch (error) {
      this.started = false;
      throw error;
    }
  }

  /** Opens the replay once the client has sent its breakpoints (configurationDone), then makes the first stop. */
  private async startReplay(trace: Trace, first: FirstStop | 'end'): Promise<Stop> {
    const navigator = new Navigator(trace, () => [...[...this.lineBreakpointsBySource.values()].map((set) => set.rules), ...this.rulesByKind.values()].flat());
    const entry = navigator.entry();
    if (!entry) {
      trace.close();
      throw new Error(`${trace.path} has no line events: nothing to replay`);
    }
    this.replay = { trace, navigator, sources: new Sources() };
    const warning = traceStatusWarning(trace);
    if (warning) this.sendEvent(new OutputEvent(warning, 'important'));
    this.sendEvent(new InitializedEvent());
    await this.configurationDone;
    this.stopFollowingGotos = followGotoRequests(trace.path, (seq) => this.gotoRequested(seq));
    if (first === 'entry') return entry;
    if (first === 'end') return { ...(navigator.last() ?? entry), reason: 'pause' };
    return navigator.run({ seq: 0, thread: entry.position.thread }, 'forward');
  }

  /** A navigation request: answer it, then stop at the navigator's new position. */
  private move(response: DebugProtocol.Response, threadId: ThreadId, step: (navigator: Navigator, from: Position) => Stop): void {
    let stop: Stop | undefined;
    this.handle(response, () => {
      const { navigator } = this.requireReplay();
      const seq = this.seqOfThread(threadId);
      if (seq === undefined) throw new Error(this.notRunning(threadId));
      stop = step(navigator, { seq, thread: threadId });
      return response.command === 'continue' || response.command === 'reverseContinue' ? { allThreadsContinued: true } : undefined;
    }, () => stop && this.moveTo(stop));
  }

  /** A step request: exactly one recorded event that way with granularity 'instruction', else `step`. */
  private step(response: DebugProtocol.Response, args: DebugProtocol.StepBackArguments, direction: Direction,
    step: (navigator: Navigator, from: Position) => Stop): void {
    this.move(response, args.threadId, (navigator, from) => (args.granularity === 'instruction' ? navigator.stepEvent(from, direction) : step(navigator, from)));
  }

  /** A jump (goto, restartFrame, gotoPosition): answer it, then stop where `target` says, or fail with `missing`. */
  private jump(response: DebugProtocol.Response, target: () => Stop | undefined, missing: () => string): void {
    let stop: Stop | undefined;
    this.handle(response, () => {
      stop = target();
      if (!stop) throw new Error(missing());
    }, () => this.moveTo(stop));
  }

  private gotoPosition(args: GotoPositionArguments): Stop | undefined {
    const { trace, navigator } = this.requireReplay();
    const last = trace.lastSeq();
    if (!Number.isInteger(args.seq) || args.seq < 1 || args.seq > last) throw new Error(`'seq' must be an event from 1 to ${last}`);
    if (args.threadId !== undefined && !trace.threads().some((thread) => thread.id === args.threadId)) throw new Error(`there is no thread ${args.threadId} in this trace`);
    return navigator.goto(args.seq, args.threadId);
  }

  /** A goto request from the language server (a "go to call" lens): a `goto` stop, once the replay has stopped. */
  private gotoRequested(seq: Seq): void {
    if (!this.replay || !this.position) return;
    this.moveTo(this.replay.navigator.goto(seq));
  }

  private moveTo(stop: Stop | undefined): void {
    if (!stop) return;
    const { trace } = this.requireReplay();
    for (const { rule, event: hit, conditionError } of stop.logs) {
      const text = conditionError ?? logText(rule.message, this.frameLookup(hit), render);
      this.sendEvent(new OutputEvent(`${text}\n`, conditionError === undefined ? 'console' : 'stderr'));
    }
    this.position = stop.position;
    this.handles.reset();
    const event = trace.event(stop.position.seq);
    try {
      if (event) {
        this.cursor = { trace: trace.path, seq: event.seq, thread: event.thread, invocation: event.invocation, writtenAt: Date.now() };
        writeCursor(this.cursor);
      }
    } catch (error) {
      this.sendEvent(new OutputEvent(`hindsight: cannot write the cursor file next to the trace (${(error as Error).message})\n`, 'console'));
    }
    const reason = stop.reason === 'end' || stop.reason === 'start' ? 'step' : stop.reason;
    const stopped = new StoppedEvent(reason, stop.position.thread) as DebugProtocol.StoppedEvent;
    stopped.body.allThreadsStopped = true;
    if (stop.reason === 'end' || stop.reason === 'start') stopped.body.description = stopped.body.text = END_TEXT[stop.reason];
    if (stop.breakpoints.length) stopped.body.hitBreakpointIds = stop.breakpoints;
    const exception = stop.reason === 'exception' && event?.arg !== null && event?.arg !== undefined ? trace.exception(event.arg) : undefined;
    if (exception) stopped.body.description = stopped.body.text = exceptionText(exception);
    this.sendEvent(stopped);
  }

  /** The one wrapper: runs a handler (sync or async), answers with its body, or with its error as a message. */
  private handle(response: DebugProtocol.Response, work: () => unknown, after?: () => void): void {
    Promise.resolve().then(work).then((result) => {
      if (result !== undefined) response.body = result;
      this.sendResponse(response);
      after?.();
    }).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      this.sendErrorResponse(response, { id: 1, format: message, showUser: true });
    });
  }

  private requireReplay(): NonNullable<HindsightSession['replay']> {
    if (!this.replay) throw new Error('no trace is open yet: send launch or attach first');
    return this.replay;
  }

  private requirePosition(): Position {
    this.requireReplay();
    if (!this.position) throw new Error('the replay has not stopped yet');
    return this.position;
  }

  /**
   * Where a thread stands at the cursor: the cursor itself, or that thread's last event before it;
   * undefined when the thread is not running there (not started yet, or already finished).
   */
  private seqOfThread(threadId: ThreadId): Seq | undefined {
    const { trace } = this.requireReplay();
    const position = this.requirePosition();
    if (typeof threadId !== 'number' || !trace.threads().some((thread) => thread.id === threadId)) throw new Error(`there is no thread ${threadId} in this trace`);
    if (threadId === position.thread) return position.seq;
    if (!this.runningAt(threadId, position.seq)) return undefined;
    return trace.next(position.seq + 1, 'backward', { thread: threadId })?.seq;
  }

  /** Whether a thread's recorded life (its first to its last event) spans seq. */
  private runningAt(threadId: ThreadId, seq: Seq): boolean {
    const span = this.requireReplay().trace.threadSpans().find((candidate) => candidate.thread === threadId);
    return span !== undefined && span.firstSeq <= seq && seq <= span.lastSeq;
  }

  private notRunning(threadId: ThreadId): string {
    const { trace } = this.requireReplay();
    const name = trace.threads().find((thread) => thread.id === threadId)?.name ?? String(threadId);
    const span = trace.threadSpans().find((candidate) => candidate.thread === threadId);
    const life = span ? `: it runs from event ${span.firstSeq} to event ${span.lastSeq}` : '';
    return `thread '${name}' is not running at event ${this.requirePosition().seq}${life}`;
  }

  private frame(frameId: number): FramePosition {
    const frame = frameFromId(this.requireReplay().trace, frameId);
    if (!frame) throw new Error(`frame ${frameId} is not a frame of this trace`);
    return frame;
  }

  private topFrame(position: Position): FramePosition {
    return this.frame(position.seq);
  }

  private moduleOf(frame: FramePosition): number | undefined {
    const { trace } = this.requireReplay();
    const code = trace.code(trace.invocation(frame.invocation)?.code ?? -1);
    return code && trace.moduleInvocationAt(code.file, frame.seq);
  }

  /** Names visible in a frame: its locals at seq, then its module's globals. */
  private lookupAt(frame: FramePosition): NameLookup {
    const { trace } = this.requireReplay();
    let locals: Map<string, ValueNode> | undefined;
    let globals: Map<string, ValueNode> | undefined;
    return (name) => {
      locals ??= new Map(trace.valuesAt(frame.invocation, frame.seq).map((value) => [value.name, value.value]));
      if (locals.has(name)) return locals.get(name);
      const module = this.moduleOf(frame);
      globals ??= new Map(module === undefined ? [] : trace.globalsAt(frame.seq, module).map((value) => [value.name, value.value]));
      return globals.get(name);
    };
  }

  /** The names a frame can see: its locals at seq, then its module's globals. */
  private namesAt(frame: FramePosition): string[] {
    const { trace } = this.requireReplay();
    const module = this.moduleOf(frame);
    const globals = module === undefined ? [] : trace.globalsAt(frame.seq, module);
    return [...trace.valuesAt(frame.invocation, frame.seq), ...globals].map((value) => value.name);
  }

  private exitFacts(event: TraceEvent | undefined): ExitFacts {
    if (event?.kind !== EventKind.Unwind || event.arg === null) return {};
    const exception = this.replay?.trace.exception(event.arg);
    return exception ? { exception: { kind: 'repr', type: exception.type, text: `${exception.type}: ${exception.message}` } } : {};
  }
}
