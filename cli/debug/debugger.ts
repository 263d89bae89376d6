// The terminal debugger's session over `hindsight dap`: starts the replay (launch records first, attach
// opens a trace), keeps the stop (thread, stack, selected frame), runs each Command as DAP requests and
// prints the answers in pdb's formats. It reads nothing of the trace itself: the server answers all.
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { LaunchArguments } from '../../adapter/launchArguments';
import { CustomRequest, type PositionInfoResponseBody } from '../../protocol/requests';
import { Breakpoints, type ResolvedTarget } from './breakpoints';
import { DapClient, ServerDiedError } from './client';
import { CommandError, HELP, type BreakTarget, type Command, type ListRange, type MoveRequest } from './commands';
import { exitHeader, frameLines, isExitName, listing, type FrameExit } from './render';

export type Target = { kind: 'launch'; args: LaunchArguments } | { kind: 'attach'; args: { trace: string } };

/** Where the debugger writes: the program's output and answers to `out`, the program's stderr and warnings to `err`. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

interface StopState {
  thread: number;
  frames: DebugProtocol.StackFrame[];
  /** The top frame's exit (return value, yielded value, exception leaving it), when the stop is one. */
  exit?: FrameExit;
}

/** Lines shown by one `l`, as pdb: the stop's line and five either side. */
const LIST_SPAN = 11;

export class Debugger {
  /** Resolves if the server dies on its own (the caller then ends the session with the reason). */
  readonly died: Promise<ServerDiedError>;
  private readonly client: DapClient;
  private readonly breakpoints: Breakpoints;
  private readonly waiters = new Map<string, (event: DebugProtocol.Event) => void>();
  private readonly sources = new Map<string, Promise<string[] | undefined>>();
  private stop: StopState | undefined;
  private selected = 0;
  /** The first line the next plain `l` shows; undefined after a move (then `l` lists around the stop). */
  private listNext: number | undefined;
  private launching = false;
  private stderrDuringLaunch = false;

  constructor(private readonly output: Output) {
    this.client = new DapClient((event) => this.onEvent(event));
    this.breakpoints = new Breakpoints(this.client);
    this.died = this.client.died;
  }

  /** Starts the session and shows the first stop; throws an Error with one sentence if it cannot. */
  async start(target: Target): Promise<void> {
    this.launching = target.kind === 'launch';
    try {
      await this.client.request('initialize', { clientID: 'hindsight-debug', clientName: 'hindsight debug', adapterID: 'hindsight', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      const initialized = this.once('initialized');
      const stopped = this.once('stopped');
      const started = this.client.request(target.kind, target.args);
      // The server records (launch) or opens the trace, then asks for breakpoints: none yet.
      await Promise.race([initialized, started]);
      this.launching = false; // the recording is over: Ctrl-C has nothing more to stop
      await this.client.request('configurationDone');
      await started;
      await this.show(await this.orDeath(stopped) as DebugProtocol.StoppedEvent);
    } catch (error) {
      // The server's message repeats the end of what Python printed on stderr, which is on screen already.
      if (this.launching && this.stderrDuringLaunch && !(error instanceof ServerDiedError)) throw new Error('the program was not recorded (its error is above)');
      throw error;
    } finally {
      this.launching = false;
    }
  }

  /** Ctrl-C while the program is being recorded ends it as Ctrl-C would (a second time kills it); the recording is then replayed. */
  interrupt(): void {
    if (this.launching) this.client.request('terminate').catch(() => undefined);
  }

  /** Runs one command and prints its answer; 'quit' when the session should end. A refused command prints `*** reason`. */
  async run(command: Command): Promise<'quit' | undefined> {
    try {
      if (command.kind === 'quit') return 'quit';
      await this.execute(command);
    } catch (error) {
      if (error instanceof ServerDiedError) throw error;
      this.say(`*** ${error instanceof Error ? error.message : String(error)}`);
    }
    return undefined;
  }

  /** Disconnects; the server ends and exits. */
  close(): Promise<void> {
    return this.client.close();
  }

  private async execute(command: Exclude<Command, { kind: 'quit' }>): Promise<void> {
    switch (command.kind) {
      case 'move': return this.move(command.request);
      case 'goto': return this.jump(CustomRequest.gotoPosition, { seq: command.seq });
      case 'break': return this.say(await this.breakpoints.add(await this.resolve(command.target), command.condition));
      case 'breakpoints': return this.say(...this.breakpoints.table());
      case 'clear': return this.say(...await this.breakpoints.remove(command.numbers));
      case 'clear-all': return this.say(...await this.breakpoints.remove('all'));
      case 'clear-line': return this.clearLine(command.file, command.line);
      case 'print': return this.say(await this.evaluate(command.expression, 'watch'));
      case 'history': return this.say(await this.evaluate(`:history ${command.args}`, 'repl'));
      case 'where': return this.where();
      case 'when': return this.when();
      case 'list': return this.list(command.range);
      case 'frame': return this.selectFrame(command.direction, command.count);
      case 'help': return this.say(HELP);
    }
  }

  private move(request: MoveRequest): Promise<void> {
    return this.jump(request, { threadId: this.current().thread });
  }

  /** A request that moves the replay: answered first, then the `stopped` event that shows where. */
  private async jump(request: string, args: object): Promise<void> {
    const stopped = this.once('stopped');
    try {
      await this.client.request(request, args);
    } catch (error) {
      this.waiters.delete('stopped');
      throw error;
    }
    await this.show(await this.orDeath(stopped) as DebugProtocol.StoppedEvent);
  }

  /** Takes in a stop: the thread's stack and the top frame's exit, then prints it as pdb does. */
  private async show(event: DebugProtocol.StoppedEvent): Promise<void> {
    const thread = event.body.threadId ?? this.current().thread;
    const stack = await this.client.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId: thread });
    const top = stack.stackFrames[0];
    this.stop = { thread, frames: stack.stackFrames, ...(top ? { exit: await this.exitOf(top) } : {}) };
    this.selected = 0;
    this.listNext = undefined;
    const { description } = event.body;
    // An exception stop says the exception, as pdb does; the ends of the recording read --End of recording--.
    if (description) this.say(event.body.reason === 'exception' ? description : `--${description}--`);
    if (top) this.say(...exitHeader(this.stop.exit), ...await this.frameText(top, '> '));
  }

  /** The exit pseudo-variable a frame's Locals list first (`Return value`…), if the frame is leaving. */
  private async exitOf(frame: DebugProtocol.StackFrame): Promise<FrameExit | undefined> {
    const { scopes } = await this.client.request<DebugProtocol.ScopesResponse>('scopes', { frameId: frame.id });
    const locals = scopes.find((scope) => scope.name === 'Locals');
    if (!locals) return undefined;
    const { variables } = await this.client.request<DebugProtocol.VariablesResponse>('variables', { variablesReference: locals.variablesReference, start: 0, count: 1 });
    const first = variables[0];
    return first && isExitName(first.name) ? { name: first.name, value: first.value } : undefined;
  }

  private async frameText(frame: DebugProtocol.StackFrame, marker: '> ' | '  '): Promise<string[]> {
    const text = await this.sourceOf(frame.source);
    const exit = frame === this.stop?.frames[0] ? this.stop.exit : undefined;
    return frameLines(frame, marker, text?.[frame.line - 1], exit);
  }

  private async where(): Promise<void> {
    const { frames } = this.current();
    for (let i = frames.length - 1; i >= 0; i--) {
      const frame = frames[i];
      if (frame) this.say(...await this.frameText(frame, i === this.selected ? '> ' : '  '));
    }
  }

  private async when(): Promise<void> {
    const info = await this.client.request<DebugProtocol.Response & { body: PositionInfoResponseBody }>(CustomRequest.positionInfo);
    this.say(`event ${info.seq} of ${info.totalEvents}`);
  }

  private async selectFrame(direction: 'up' | 'down', count: number): Promise<void> {
    const { frames } = this.current();
    if (direction === 'up' && this.selected === frames.length - 1) throw new CommandError('Oldest frame');
    if (direction === 'down' && this.selected === 0) throw new CommandError('Newest frame');
    this.selected = direction === 'up' ? Math.min(frames.length - 1, this.selected + count) : Math.max(0, this.selected - count);
    this.listNext = undefined;
    this.say(...await this.frameText(this.frame(), '> '));
  }

  private async list(range: ListRange): Promise<void> {
    const frame = this.frame();
    const text = await this.sourceOf(frame.source);
    if (!text) throw new CommandError(`the source of ${frame.source?.path ?? frame.name} is not available`);
    const around = (line: number) => Math.max(1, line - Math.floor(LIST_SPAN / 2));
    const first = range.kind === 'range' ? range.first
      : range.kind === 'around' ? around(range.line)
        : range.kind === 'continue' && this.listNext !== undefined ? this.listNext : around(frame.line);
    const last = range.kind === 'range' ? range.last : first + LIST_SPAN - 1;
    const lines = listing(text, first, last, frame.line, this.breakpoints.linesOf(frame.source?.path ?? ''));
    this.say(...(lines.length ? lines : ['[EOF]']));
    this.listNext = last + 1;
  }

  private async evaluate(expression: string, context: 'watch' | 'repl'): Promise<string> {
    const body = await this.client.request<DebugProtocol.EvaluateResponse>('evaluate', { expression, frameId: this.frame().id, context });
    return body.result;
  }

  private async clearLine(file: string, line: number): Promise<void> {
    const target = await this.resolve({ kind: 'line', file, line });
    const numbers = target.kind === 'line' ? this.breakpoints.numbersAt(target.path, line) : [];
    if (!numbers.length) throw new CommandError(`there is no breakpoint at ${file}:${line}`);
    this.say(...await this.breakpoints.remove(numbers));
  }

  /** A breakpoint's file as the recorded path: the current frame's file, or the recorded file FILE names (a path or its end). */
  private async resolve(target: BreakTarget): Promise<ResolvedTarget> {
    if (target.kind === 'function') return target;
    if (target.file === undefined) {
      const current = this.frame().source?.path;
      if (!current) throw new CommandError('the current frame has no file: give FILE:LINE');
      return { kind: 'line', path: current, line: target.line };
    }
    const { sources } = await this.client.request<DebugProtocol.LoadedSourcesResponse>('loadedSources');
    const wanted = path.resolve(target.file);
    const paths = sources.flatMap((source) => (source.path ? [source.path] : []));
    const found = paths.filter((recorded) => recorded === wanted || recorded.endsWith(`${path.sep}${target.file}`));
    if (found.length > 1) throw new CommandError(`'${target.file}' matches several recorded files (${found.join(', ')}): give more of its path`);
    if (!found[0]) throw new CommandError(`'${target.file}' is not a file of this recording`);
    return { kind: 'line', path: found[0], line: target.line };
  }

  /** A source's lines, as recorded (the server answers from the trace): undefined when it has none. */
  private sourceOf(source: DebugProtocol.Source | undefined): Promise<string[] | undefined> {
    if (!source) return Promise.resolve(undefined);
    const key = `${source.path ?? ''}#${source.sourceReference ?? 0}`;
    let text = this.sources.get(key);
    if (!text) {
      text = this.client.request<DebugProtocol.SourceResponse>('source', { source, sourceReference: source.sourceReference ?? 0 })
        .then((body) => body.content.replace(/\r?\n$/, '').split(/\r?\n/), (error: unknown) => {
          if (error instanceof ServerDiedError) throw error;
          return undefined;
        });
      this.sources.set(key, text);
    }
    return text;
  }

  private current(): StopState {
    if (!this.stop) throw new CommandError('the replay has not stopped yet');
    return this.stop;
  }

  private frame(): DebugProtocol.StackFrame {
    const frame = this.current().frames[this.selected];
    if (!frame) throw new CommandError('this thread has no frames here');
    return frame;
  }

  private onEvent(event: DebugProtocol.Event): void {
    if (event.event === 'output') {
      const { category, output } = (event as DebugProtocol.OutputEvent).body;
      if (category === 'telemetry') return;
      const toStderr = category === 'stderr' || category === 'important';
      if (category === 'stderr' && this.launching) this.stderrDuringLaunch = true;
      if (toStderr) this.output.err(output);
      else this.output.out(output);
      return;
    }
    const waiter = this.waiters.get(event.event);
    if (!waiter) return;
    this.waiters.delete(event.event);
    waiter(event);
  }

  private once(name: string): Promise<DebugProtocol.Event> {
    return new Promise((resolve) => this.waiters.set(name, resolve));
  }

  /** A wait that ends with the server's death instead of hanging. */
  private orDeath<T>(waiting: Promise<T>): Promise<T> {
    return Promise.race([waiting, this.died.then((error) => { throw error; })]);
  }

  private say(...lines: string[]): void {
    this.output.out(lines.map((line) => `${line}\n`).join(''));
  }
}
