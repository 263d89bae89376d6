// HindsightSession: translates DAP requests into navigator moves and reader queries, one short handler
// per request; every failure becomes an error response, and a move is answered before its `stopped`.
import { DebugSession, Event, InitializedEvent, OutputEvent, Response, TerminatedEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { Trace } from '../protocol/reader';
import { CustomRequest, type GotoPositionArguments, type ReverseStepArguments } from '../protocol/requests';
import type { Seq, ThreadId } from '../protocol/schema';
import { traceStatusWarning } from '../protocol/traceStatus';
import { BreakpointRequests, breakpointLocationsBody, dataBreakpointInfoBody } from './breakpointRequests';
import { EXCEPTION_FILTERS } from './breakpoints/exceptions';
import { followGotoRequests } from './gotoChannel';
import { callTreeBody, positionInfoBody, timelineBody, valueHistoryBody } from './inspect';
import {
  completionsBody, evaluation, loadedSourcesBody, scopesBody, sourceBody, stackTraceBody, threadExceptionBody, threadsBody, variablesBody,
} from './inspection';
import { LaunchRecording, type ProgressReporting } from './launch';
import { launchPlan, type FirstStop, type LaunchArguments } from './launchArguments';
import { lineExecutions } from './lineExecutions';
import type { Direction, Navigator, Position, Stop } from './navigator';
import type { ReplMove } from './repl';
import { Replay } from './replay';
import { argumentProblem, describe } from './requestArguments';
import { stopEvents } from './stopReport';
import { gotoTargetsToDap } from './toDap';
import { tokenMatches, type Admission } from './token';

/** The standard requests this session answers; the base class's defaults for the others would answer them falsely. */
const STANDARD_REQUESTS = new Set([
  'initialize', 'launch', 'attach', 'disconnect', 'terminate', 'configurationDone', 'setBreakpoints', 'breakpointLocations',
  'setFunctionBreakpoints', 'setExceptionBreakpoints', 'exceptionInfo', 'dataBreakpointInfo', 'setDataBreakpoints', 'threads',
  'stackTrace', 'scopes', 'variables', 'evaluate', 'completions', 'setVariable', 'source', 'loadedSources', 'next', 'stepBack',
  'stepIn', 'stepOut', 'continue', 'reverseContinue', 'gotoTargets', 'goto', 'restartFrame', 'pause',
]);

interface AttachArguments extends DebugProtocol.AttachRequestArguments {
  /** The trace file to replay. */
  trace?: string;
  stopOnEntry?: boolean;
  /** The token of a `hindsight dap --port` server (checked before any handler). */
  token?: string;
}

export class HindsightSession extends DebugSession {
  private replay: Replay | undefined;
  private readonly breakpoints = new BreakpointRequests();
  private configured!: () => void;
  private readonly configurationDone = new Promise<void>((resolve) => { this.configured = resolve; });
  /** Set by the first launch or attach (cleared if it fails): one program or trace per session. */
  private started = false;
  private recording: LaunchRecording | undefined;
  private progress: ProgressReporting = 'silent';
  /** Stops following the language server's goto requests (set while replaying). */
  private stopFollowingGotos: (() => void) | undefined;
  private initialized = false;
  /** A token given in `initialize`, for a launch or attach that carries none. */
  private initializeToken: unknown;

  /**
   * `onEnd` runs once the client disconnected and the trace is closed (the entry point ends the process or
   * socket); `admission` says whether launch and attach need a token.
   */
  constructor(private readonly onEnd: () => void, private readonly admission: Admission) {
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
    this.replay?.close();
    this.replay = undefined;
  }

  /** JSON that is no message (null, 42, a list) is noted on stderr and ignored, as a body that is not JSON is (the base class would say "Cannot read properties of null"). */
  override handleMessage(message: DebugProtocol.ProtocolMessage): void {
    if (typeof message === 'object' && message !== null && !Array.isArray(message)) return super.handleMessage(message);
    this.emit('error', new Event('error', `Error handling data: a message must be a JSON object, not ${describe(message)}; ignored`));
  }

  /**
   * Refuses what no handler should see (see `refusal`); missing arguments become {}; DAP says a missing
   * pathFormat means 'path' but the base class refuses it. Only standard requests reach the base class.
   */
  protected override dispatchRequest(request: DebugProtocol.Request): void {
    if (typeof request.arguments !== 'object' || request.arguments === null) request.arguments = {};
    if (request.command === 'initialize') request.arguments = { pathFormat: 'path', ...(request.arguments ?? {}) };
    const problem = this.refusal(request);
    if (problem) return this.sendErrorResponse(new Response(request), { id: 1, format: problem, showUser: true });
    if (request.command === 'initialize') {
      this.initialized = true;
      this.initializeToken = (request.arguments as Record<string, unknown>).token;
    }
    if (STANDARD_REQUESTS.has(request.command)) super.dispatchRequest(request);
    else this.customRequest(request.command, new Response(request), request.arguments);
  }

  /** Why a request is refused before any handler runs: no command, before initialize, no token, ill-typed arguments. */
  private refusal(request: DebugProtocol.Request): string | undefined {
    const { command } = request;
    if (typeof command !== 'string') return "a request needs a 'command' (a string)";
    if (!this.initialized && command !== 'initialize') return `send 'initialize' first: '${command}' came before it`;
    const args = request.arguments as Record<string, unknown>;
    if ((command === 'launch' || command === 'attach') && this.admission !== 'open' && !tokenMatches(this.admission.token, args.token ?? this.initializeToken)) {
      return `${command} refused: this server needs the token 'hindsight dap --port' printed (or was given with --token), as "token" in the ${command} arguments`;
    }
    return argumentProblem(command, args);
  }

  /**
   * Every error response is one sentence and nothing else: the base class would send a stack for a
   * handler that throws, and would expand `{name}` placeholders in a message (a user's expression may hold some).
   */
  protected override sendErrorResponse(response: DebugProtocol.Response, codeOrMessage: number | DebugProtocol.Message, format?: string, variables?: unknown): void {
    const exception = (variables as { _exception?: unknown } | undefined)?._exception;
    const text = typeof codeOrMessage === 'number'
      ? (exception === undefined ? format ?? 'the request failed' : `the request '${response.command}' failed: ${String(exception)}`)
      : codeOrMessage.format;
    response.success = false;
    response.message = text;
    response.body = { error: { id: 1, format: text, showUser: true } };
    this.sendResponse(response);
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
    this.handle(response, () => this.breakpoints.setLines(this.requireReplay(), args));
  }

  protected override breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse, args: DebugProtocol.BreakpointLocationsArguments): void {
    this.handle(response, () => breakpointLocationsBody(this.requireReplay(), args));
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.handle(response, () => this.breakpoints.setFunctions(this.requireReplay(), args));
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.handle(response, () => this.breakpoints.setExceptions(this.requireReplay(), args));
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse, args: DebugProtocol.ExceptionInfoArguments): void {
    this.handle(response, () => threadExceptionBody(this.requireReplay(), args));
  }

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    this.handle(response, () => dataBreakpointInfoBody(this.requireReplay(), args));
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    this.handle(response, () => this.breakpoints.setData(this.requireReplay(), args));
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    this.handle(response, () => threadsBody(this.replay));
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.handle(response, () => stackTraceBody(this.requireReplay(), args));
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.handle(response, () => scopesBody(this.requireReplay(), args));
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.handle(response, () => variablesBody(this.requireReplay(), args));
  }

  /** A console `:command` may move the replay: the move is made after the answer. */
  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    let move: ReplMove | undefined;
    this.handle(response, () => {
      const result = evaluation(this.requireReplay(), args);
      move = result.move;
      return result.body;
    }, () => move && this.moveTo(move()));
  }

  protected override completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    this.handle(response, () => completionsBody(this.replay, args, {
      toDebugger: (column) => this.convertClientColumnToDebugger(column),
      toClient: (column) => this.convertDebuggerColumnToClient(column),
    }));
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse): void {
    this.handle(response, () => {
      throw new Error('a recording cannot be changed: setting a variable is not possible while replaying a trace');
    });
  }

  protected override sourceRequest(response: DebugProtocol.SourceResponse, args: DebugProtocol.SourceArguments): void {
    this.handle(response, () => sourceBody(this.requireReplay(), args));
  }

  protected override loadedSourcesRequest(response: DebugProtocol.LoadedSourcesResponse): void {
    this.handle(response, () => loadedSourcesBody(this.requireReplay()));
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
    this.run(response, args.threadId, 'forward');
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse, args: DebugProtocol.ReverseContinueArguments): void {
    this.run(response, args.threadId, 'backward');
  }

  protected override gotoTargetsRequest(response: DebugProtocol.GotoTargetsResponse, args: DebugProtocol.GotoTargetsArguments): void {
    this.handle(response, () => ({ targets: gotoTargetsToDap(lineExecutions(this.requireReplay().trace, args.source?.path, args.line)) }));
  }

  protected override gotoRequest(response: DebugProtocol.GotoResponse, args: DebugProtocol.GotoArguments): void {
    this.jump(response, () => this.requireReplay().navigator.goto(args.targetId), () => `goto target ${args.targetId} is not an event of this trace`);
  }

  protected override restartFrameRequest(response: DebugProtocol.RestartFrameResponse, args: DebugProtocol.RestartFrameArguments): void {
    this.jump(response, () => {
      const replay = this.requireReplay();
      return replay.navigator.frameStart(replay.frame(args.frameId).invocation);
    }, () => `frame ${args.frameId} has no line to restart at`);
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
      timeline: (response, args) => this.handle(response, () => timelineBody(this.requireReplay().trace, args, this.breakpoints.lineLocations())),
      callTree: (response, args) => this.handle(response, () => callTreeBody(this.requireReplay().trace, args)),
      valueHistory: (response, args) => this.handle(response, () => valueHistoryBody(this.requireReplay().trace, args, (id) => this.requireReplay().frame(id))),
      positionInfo: (response) => this.handle(response, () => positionInfoBody(this.requireReplay().trace, this.requireReplay().requirePosition())),
    };
    // Own keys only: '__proto__' or 'toString' must not find Object.prototype's.
    const handler = Object.hasOwn(handlers, command) ? handlers[command] : undefined;
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
    const replay = new Replay(trace, () => this.breakpoints.rules());
    const { navigator } = replay;
    const entry = navigator.entry();
    if (!entry) {
      trace.close();
      throw new Error(`${trace.path} has no line events: nothing to replay`);
    }
    this.replay = replay;
    const warning = traceStatusWarning(trace.summary());
    if (warning) this.sendEvent(new OutputEvent(`hindsight: ${warning}.\n`, 'important'));
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
      const replay = this.requireReplay();
      const seq = replay.seqOfThread(threadId);
      if (seq === undefined) throw new Error(replay.notRunning(threadId));
      stop = step(replay.navigator, { seq, thread: threadId });
    }, () => stop && this.moveTo(stop));
  }

  /** continue / reverseContinue: every thread runs, from where the replay stands, whichever thread the client names. */
  private run(response: DebugProtocol.Response, threadId: ThreadId, direction: Direction): void {
    let stop: Stop | undefined;
    this.handle(response, () => {
      const replay = this.requireReplay();
      replay.requireThread(threadId);
      stop = replay.navigator.run(replay.requirePosition(), direction);
      return { allThreadsContinued: true };
    }, () => this.moveTo(stop));
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
    const replay = this.requireReplay();
    const last = replay.trace.lastSeq();
    if (!Number.isInteger(args.seq) || args.seq < 1 || args.seq > last) throw new Error(`'seq' must be an event from 1 to ${last}`);
    if (args.threadId !== undefined) replay.requireThread(args.threadId);
    return replay.navigator.goto(args.seq, args.threadId);
  }

  /** A goto request from the language server (a "go to call" lens): a `goto` stop, once the replay has stopped. */
  private gotoRequested(seq: Seq): void {
    if (!this.replay?.position) return;
    this.moveTo(this.replay.navigator.goto(seq));
  }

  /** Reports a stop (stopReport.ts): log-point output, then `stopped`. */
  private moveTo(stop: Stop | undefined): void {
    if (!stop) return;
    for (const event of stopEvents(this.requireReplay(), stop)) this.sendEvent(event);
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

  private requireReplay(): Replay {
    if (!this.replay) throw new Error('no trace is open yet: send launch or attach first');
    return this.replay;
  }
}
