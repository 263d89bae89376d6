// HindsightSession: translates DAP requests into navigator moves and reader queries, one short handler
// per request; every failure becomes an error response, and a move is answered before its `stopped`.
import { DebugSession, InitializedEvent, OutputEvent, Response, StoppedEvent, TerminatedEvent, Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { writeCursor } from '../protocol/cursor';
import { frameFromId, type FramePosition } from '../protocol/frameId';
import { Trace, type TraceEvent } from '../protocol/reader';
import { EventKind, type Seq, type ThreadId } from '../protocol/schema';
import { render, type ValueNode } from '../protocol/values';
import { lineBreakpoints, logText } from './breakpoints';
import { evaluateExpression, type NameLookup } from './expression';
import { LaunchRecording, type ProgressReporting } from './launch';
import { launchPlan, type FirstStop, type LaunchArguments } from './launchArguments';
import { Navigator, type Position, type Stop, type StopRule } from './navigator';
import { replCommand, type ReplMove } from './repl';
import { argumentProblem } from './requestArguments';
import { Sources, stackFrameToDap, VariableHandles, type ExitFacts } from './toDap';

interface AttachArguments extends DebugProtocol.AttachRequestArguments {
  /** The trace file to replay. */
  trace?: string;
  stopOnEntry?: boolean;
}

const END_TEXT = { end: 'End of recording', start: 'Beginning of recording' } as const;

export class HindsightSession extends DebugSession {
  private replay: { trace: Trace; navigator: Navigator; sources: Sources } | undefined;
  private position: Position | undefined;
  private readonly handles = new VariableHandles();
  private readonly rulesBySource = new Map<string, StopRule[]>();
  private configured!: () => void;
  private readonly configurationDone = new Promise<void>((resolve) => { this.configured = resolve; });
  /** Set by the first launch or attach (cleared if it fails): one program or trace per session. */
  private started = false;
  private recording: LaunchRecording | undefined;
  private progress: ProgressReporting = 'silent';

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
      supportsEvaluateForHovers: true,
      supportsDelayedStackTraceLoading: true,
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
      const set = lineBreakpoints(trace, args, (event) => this.lookupAt({ seq: event.seq, invocation: event.invocation }));
      this.rulesBySource.set(args.source?.path ?? `#${args.source?.sourceReference ?? 0}`, set.rules);
      return { breakpoints: set.answers };
    });
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    this.handle(response, () => ({ threads: (this.replay?.trace.threads() ?? []).map((thread) => new Thread(thread.id, thread.name)) }));
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.handle(response, () => {
      const { trace, sources } = this.requireReplay();
      const seq = this.seqOfThread(args.threadId);
      const frames = seq === undefined ? [] : trace.stackAt(seq);
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
      if (args.context === 'repl' && args.expression.trimStart().startsWith(':')) {
        const command = replCommand(args.expression, replay.navigator, position, replay.trace);
        move = command.move;
        return { result: command.text, variablesReference: 0 };
      }
      const frame = args.frameId !== undefined ? this.frame(args.frameId) : this.topFrame(position);
      const value = evaluateExpression(args.expression, this.lookupAt(frame));
      const variable = this.handles.variable(args.expression, value);
      return { result: variable.value, type: variable.type, variablesReference: variable.variablesReference,
        indexedVariables: variable.indexedVariables, namedVariables: variable.namedVariables };
    }, () => move && this.moveTo(move()));
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

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.move(response, args.threadId, (navigator, from) => navigator.stepOver(from, 'forward'));
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    this.move(response, args.threadId, (navigator, from) => navigator.stepOver(from, 'backward'));
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.move(response, args.threadId, (navigator, from) => navigator.stepIn(from, 'forward'));
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.move(response, args.threadId, (navigator, from) => navigator.stepOut(from));
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse, args: DebugProtocol.ContinueArguments): void {
    this.move(response, args.threadId, (navigator, from) => navigator.run(from, 'forward'));
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse, args: DebugProtocol.ReverseContinueArguments): void {
    this.move(response, args.threadId, (navigator, from) => navigator.run(from, 'backward'));
  }

  /** Hindsight's own requests (protocol/requests.ts); anything else is an unknown command. */
  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    const handlers: Record<string, (response: DebugProtocol.Response, args: any) => void> = {
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
      this.replay?.trace.close();
      this.replay = undefined;
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
    const navigator = new Navigator(trace, () => [...this.rulesBySource.values()].flat());
    const entry = navigator.entry();
    if (!entry) {
      trace.close();
      throw new Error(`${trace.path} has no line events: nothing to replay`);
    }
    this.replay = { trace, navigator, sources: new Sources() };
    this.sendEvent(new InitializedEvent());
    await this.configurationDone;
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
      if (seq === undefined) throw new Error(`thread ${threadId} has not started at this point of the recording`);
      stop = step(navigator, { seq, thread: threadId });
      return response.command === 'continue' || response.command === 'reverseContinue' ? { allThreadsContinued: true } : undefined;
    }, () => stop && this.moveTo(stop));
  }

  private moveTo(stop: Stop | undefined): void {
    if (!stop) return;
    const { trace } = this.requireReplay();
    for (const { rule, event: hit } of stop.logs) {
      const text = logText(rule.message, this.lookupAt({ seq: hit.seq, invocation: hit.invocation }), render);
      this.sendEvent(new OutputEvent(`${text}\n`, 'console'));
    }
    this.position = stop.position;
    this.handles.reset();
    const event = trace.event(stop.position.seq);
    try {
      if (event) writeCursor({ trace: trace.path, seq: event.seq, thread: event.thread, invocation: event.invocation, writtenAt: Date.now() });
    } catch (error) {
      this.sendEvent(new OutputEvent(`hindsight: cannot write the cursor file next to the trace (${(error as Error).message})\n`, 'console'));
    }
    const reason = stop.reason === 'end' || stop.reason === 'start' ? 'step' : stop.reason;
    const stopped = new StoppedEvent(reason, stop.position.thread) as DebugProtocol.StoppedEvent;
    stopped.body.allThreadsStopped = true;
    if (stop.reason === 'end' || stop.reason === 'start') stopped.body.description = stopped.body.text = END_TEXT[stop.reason];
    if (stop.breakpoints.length) stopped.body.hitBreakpointIds = stop.breakpoints;
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

  /** Where a thread stands at the cursor: the cursor itself, or that thread's last event before it. */
  private seqOfThread(threadId: ThreadId): Seq | undefined {
    const { trace } = this.requireReplay();
    const position = this.requirePosition();
    if (typeof threadId !== 'number' || !trace.threads().some((thread) => thread.id === threadId)) throw new Error(`there is no thread ${threadId} in this trace`);
    if (threadId === position.thread) return position.seq;
    return trace.next(position.seq + 1, 'backward', { thread: threadId })?.seq;
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

  private exitFacts(event: TraceEvent | undefined): ExitFacts {
    if (event?.kind !== EventKind.Unwind || event.arg === null) return {};
    const exception = this.replay?.trace.exception(event.arg);
    return exception ? { exception: { kind: 'repr', type: exception.type, text: `${exception.type}: ${exception.message}` } } : {};
  }
}
