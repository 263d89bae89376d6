// DAP test driver: the real `hindsight dap` server (stdio child, or a --port server) driven by
// DebugClient, with helpers that wait for events (never sleep) and read stops as plain facts.
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { pythonsWithMonitoring, type Python } from './pythons';
import { CLI, FIXTURES, freshDir } from './recordings';

export type Transport = 'stdio' | 'tcp';

/**
 * The runs of a DAP suite whose traces depend on the tracer: stdio and tcp on python3 (3.11,
 * settrace), and stdio on the newest Python with sys.monitoring found (3.14 under CI).
 */
export function tracerRuns(): { transport: Transport; python?: Python; title: string }[] {
  const monitoring = pythonsWithMonitoring().at(-1);
  return [
    { transport: 'stdio', title: 'stdio' },
    { transport: 'tcp', title: 'tcp' },
    ...(monitoring ? [{ transport: 'stdio' as const, python: monitoring, title: `stdio, Python ${monitoring.version}` }] : []),
  ];
}

/**
 * DebugClient can only spawn `runtime executable`; `hindsight dap` needs an argument, so we connect it
 * ourselves. Over TCP it passes the server's token in launch and attach, as an editor's configuration does.
 */
class HindsightClient extends DebugClient {
  /** The Python that launchTo records with. */
  python = 'python3';
  token: string | undefined;

  attach(readable: Readable, writable: Writable): void {
    this.connect(readable, writable);
  }

  override launchRequest(args: DebugProtocol.LaunchRequestArguments): Promise<DebugProtocol.LaunchResponse> {
    return super.launchRequest(this.token === undefined ? args : { token: this.token, ...args } as DebugProtocol.LaunchRequestArguments);
  }

  override attachRequest(args: DebugProtocol.AttachRequestArguments): Promise<DebugProtocol.AttachResponse> {
    return super.attachRequest(this.token === undefined ? args : { token: this.token, ...args } as DebugProtocol.AttachRequestArguments);
  }
}

export function dapFixture(name: string): string {
  return path.join(FIXTURES, 'dap', `${name}.py`);
}

export interface TcpServer {
  port: number;
  /** The token it generated and printed, which launch and attach must carry. */
  token: string;
}

let server: (TcpServer & { process: ChildProcess }) | undefined;

/** One `hindsight dap --port 0` for the whole run (it serves several clients at once). */
export async function tcpServer(): Promise<TcpServer> {
  if (!server) {
    const child = spawn(process.execPath, [CLI, 'dap', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    process.on('exit', () => child.kill());
    const listening = await new Promise<TcpServer>((resolve, reject) => {
      let text = '';
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
        const match = /listening on 127\.0\.0\.1:(\d+) \(token ([0-9a-f]{32}): pass "token": "\2" in launch or attach\)\n/.exec(text);
        if (match) resolve({ port: Number(match[1]), token: match[2] ?? '' });
      });
      child.once('exit', (code) => reject(new Error(`hindsight dap --port 0 exited (${code}): ${text}`)));
    });
    // The server lives for the whole run; unref'd, it does not keep mocha from exiting (then 'exit' kills it).
    child.unref();
    (child.stderr as unknown as { unref(): void } | null)?.unref();
    server = { process: child, ...listening };
  }
  return { port: server.port, token: server.token };
}

export interface Dap {
  client: DebugClient;
  /** Disconnects (and for stdio waits for the server process to exit). */
  stop(): Promise<void>;
}

/**
 * `python` is what launchTo records with (default: python3, 3.11, the settrace path); over stdio, `cli`
 * serves another bundle and `cwd` is the server's folder (where an editor would start it).
 */
export async function startDap(transport: Transport, python?: string, { cli = CLI, cwd }: { cli?: string; cwd?: string } = {}): Promise<Dap> {
  const client = new HindsightClient('node', cli, 'hindsight');
  client.defaultTimeout = 20_000;
  if (python) client.python = python;
  if (transport === 'tcp') {
    const { port, token } = await tcpServer();
    client.token = token;
    await client.start(port);
    return { client, stop: () => client.stop() };
  }
  const child = spawn(process.execPath, [cli, 'dap'], { stdio: ['pipe', 'pipe', 'inherit'], cwd });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  client.attach(child.stdout as Readable, child.stdin as Writable);
  return {
    client,
    stop: async () => {
      await client.stop();
      child.stdin?.end(); // a server never initialized refuses disconnect; the end of its input ends it
      const code = await exited;
      if (code !== 0) throw new Error(`hindsight dap exited with code ${code}`);
    },
  };
}

export interface BreakpointSpec {
  line: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

/**
 * launch (recording the fixture, a name in test/fixtures/dap or an absolute path, into a scratch trace)
 * with breakpoints set during configuration; resolves at the first stop.
 */
export async function launchTo(client: DebugClient, fixture: string, breakpoints: BreakpointSpec[] = [], extra: Record<string, unknown> = {}): Promise<Stopped> {
  const program = path.isAbsolute(fixture) ? fixture : dapFixture(fixture);
  const name = path.basename(program, '.py');
  const trace = path.join(freshDir(`dap-${name}`), `${name}.trace.db`);
  const stopped = client.waitForEvent('stopped');
  const [, , event] = await Promise.all([
    client.waitForEvent('initialized')
      .then(() => client.setBreakpointsRequest({ source: { path: program }, breakpoints }))
      .then(() => client.configurationDoneRequest()),
    client.launch({ program, python: pythonOf(client), trace, ...extra }),
    stopped,
  ]);
  return event.body as Stopped;
}

export type Stopped = DebugProtocol.StoppedEvent['body'];

/** The Python a client's launches record with (startDap's `python`). */
export function pythonOf(client: DebugClient): string {
  return (client as HindsightClient).python;
}

/** Sends a navigation request and resolves with the stopped event that follows its response. */
export async function move(client: DebugClient, command: 'next' | 'stepIn' | 'stepOut' | 'stepBack' | 'continue' | 'reverseContinue', threadId: number): Promise<Stopped> {
  const stopped = client.waitForEvent('stopped');
  await client.customRequest(command, { threadId });
  return (await stopped).body as Stopped;
}

/** The stack of a thread as `name:line` strings, innermost first. */
export async function stack(client: DebugClient, threadId: number): Promise<string[]> {
  const response = await client.stackTraceRequest({ threadId });
  return response.body.stackFrames.map((frame) => `${frame.name}:${frame.line}`);
}

/** The top frame of a thread. */
export async function topFrame(client: DebugClient, threadId: number): Promise<DebugProtocol.StackFrame> {
  const response = await client.stackTraceRequest({ threadId, startFrame: 0, levels: 1 });
  const frame = response.body.stackFrames[0];
  if (!frame) throw new Error(`thread ${threadId} has no frames`);
  return frame;
}

/** A frame's Locals (or Globals) as name → value text. */
export async function scopeValues(client: DebugClient, frameId: number, scope: 'Locals' | 'Globals' = 'Locals'): Promise<Record<string, string>> {
  const scopes = await client.scopesRequest({ frameId });
  const found = scopes.body.scopes.find((candidate) => candidate.name === scope);
  if (!found) throw new Error(`frame ${frameId} has no ${scope} scope`);
  const variables = await client.variablesRequest({ variablesReference: found.variablesReference });
  return Object.fromEntries(variables.body.variables.map((variable) => [variable.name, variable.value]));
}

export interface RawConnection {
  write(bytes: string | Buffer): void;
  end(): void;
  /** Every message the server sent so far, parsed. */
  messages(): Record<string, any>[];
  /** Resolves once the messages satisfy `condition` (true), or the connection closed first (false). */
  until(condition: (messages: Record<string, any>[]) => boolean): Promise<boolean>;
  /** Resolves with the server's exit code (stdio) or null (tcp) once the connection is gone. */
  closed: Promise<number | null>;
  /** The server process (stdio only). */
  pid?: number;
  /** What the server wrote on stderr (stdio only). */
  stderr(): string;
  /** The token launch and attach must carry (tcp only). */
  token?: string;
}

/**
 * A connection that speaks raw bytes, for what no DAP client would send; a stdio server is killed if a test
 * leaves it. Over TCP it joins `server` (default: the run's shared one); a stdio server runs in `cwd`.
 */
export async function rawConnection(transport: Transport, { server, cwd }: { server?: TcpServer; cwd?: string } = {}): Promise<RawConnection> {
  const messages: Record<string, any>[] = [];
  const waiting = new Set<() => void>();
  let buffer = Buffer.alloc(0);
  let stderr = '';
  const read = (data: Buffer) => {
    buffer = Buffer.concat([buffer, data]);
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n');
      const length = Number(/Content-Length: (\d+)/.exec(buffer.subarray(0, end).toString())?.[1]);
      if (end < 0 || buffer.length < end + 4 + length) break;
      messages.push(JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString()));
      buffer = buffer.subarray(end + 4 + length);
    }
    for (const wake of waiting) wake();
  };
  let connection: Omit<RawConnection, 'messages' | 'until' | 'stderr'>;
  if (transport === 'tcp') {
    const { port, token } = server ?? await tcpServer();
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.on('data', read);
    socket.on('error', () => socket.destroy()); // a server that closed first: 'close' follows
    const closed = new Promise<null>((resolve) => socket.once('close', () => resolve(null)));
    connection = { write: (bytes) => socket.write(bytes), end: () => socket.end(), closed, token };
  } else {
    const child = spawn(process.execPath, [CLI, 'dap'], { stdio: ['pipe', 'pipe', 'pipe'], cwd });
    process.on('exit', () => child.kill()); // SIGTERM: the server ends its recordings too
    child.stdout.on('data', read);
    child.stderr.setEncoding('utf8').on('data', (text: string) => { stderr += text; });
    child.stdin.on('error', () => undefined); // written after the server closed: 'exit' tells
    const closed = new Promise<number | null>((resolve) => child.once('exit', resolve));
    connection = { write: (bytes) => child.stdin.write(bytes), end: () => child.stdin.end(), closed, pid: child.pid };
  }
  let open = true;
  void connection.closed.then(() => {
    open = false;
    for (const wake of waiting) wake();
  });
  const until = (condition: (messages: Record<string, any>[]) => boolean) => new Promise<boolean>((resolve) => {
    const check = () => {
      if (!condition(messages) && open) return;
      waiting.delete(check);
      resolve(condition(messages));
    };
    waiting.add(check);
    check();
  });
  return { ...connection, messages: () => messages, until, stderr: () => stderr };
}

/** A DAP frame around a body. */
export function frame(body: string): string {
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** A request that must fail: resolves with its error message. */
export async function failure(request: Promise<unknown>): Promise<string> {
  try {
    await request;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the request succeeded; it was expected to fail');
}
