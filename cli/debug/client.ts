// The terminal debugger's connection to our own DAP server: spawns `hindsight dap` (this very CLI) on
// stdio, frames messages with @vscode/debugadapter's ProtocolServer, and turns error responses and the
// server's death into Errors with one sentence.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import { ProtocolServer } from '@vscode/debugadapter/lib/protocol';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { FramingGuard } from '../../adapter/framing';

/** The server is gone: it died, or broke the protocol. */
export class ServerDiedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerDiedError';
  }
}

/** ProtocolServer frames both ways; as a client we also take events, which it would ignore. */
class Connection extends ProtocolServer {
  onEvent: (event: DebugProtocol.Event) => void = () => undefined;
  onResponse: (response: DebugProtocol.Response) => void = () => undefined;

  override handleMessage(message: DebugProtocol.ProtocolMessage): void {
    if (message.type === 'event') this.onEvent(message as DebugProtocol.Event);
    else if (message.type === 'response') this.onResponse(message as DebugProtocol.Response);
  }
}

export class DapClient {
  /** Resolves, with the reason, if the server ends before `close` asked it to. */
  readonly died: Promise<ServerDiedError>;
  private readonly server: ChildProcess;
  private readonly connection = new Connection();
  private readonly pending = new Map<number, { resolve(body: unknown): void; reject(error: Error): void }>();
  private lastSent: DebugProtocol.ProtocolMessage | undefined;
  /** 'quitting' once close() asked the server to end; 'gone' once it has. */
  private state: 'running' | 'quitting' | 'gone' = 'running';
  private readonly exited: Promise<void>;

  constructor(onEvent: (event: DebugProtocol.Event) => void) {
    // __filename is the bundled CLI. A process group of its own: Ctrl-C in the terminal is ours to
    // handle (it stops a recording through `terminate`) and must not kill the server.
    this.server = spawn(process.execPath, [__filename, 'dap'], { stdio: ['pipe', 'pipe', 'inherit'], detached: true });
    let reportDeath!: (error: ServerDiedError) => void;
    this.died = new Promise((resolve) => { reportDeath = resolve; });
    const die = (reason: string) => {
      if (this.state === 'gone') return;
      const expected = this.state === 'quitting';
      this.state = 'gone';
      const error = new ServerDiedError(reason);
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
      this.server.kill('SIGKILL');
      if (!expected) reportDeath(error);
    };
    this.exited = new Promise((resolve) => {
      this.server.once('exit', (code, signal) => {
        die(`the debug server (hindsight dap) exited unexpectedly (${signal ? `signal ${signal}` : `code ${code}`})`);
        resolve();
      });
      this.server.once('error', (error) => {
        die(`cannot start the debug server (hindsight dap): ${error.message}`);
        resolve();
      });
    });
    this.server.stdin?.on('error', () => undefined); // a dead server is reported by 'exit'
    const guard = new FramingGuard((header) => die(`the debug server broke the protocol (a header ${JSON.stringify(header.slice(0, 80))})`));
    this.server.stdout?.pipe(guard);
    this.connection.onEvent = onEvent;
    this.connection.onResponse = (response) => this.settle(response);
    this.connection.onDidSendMessage((message) => { this.lastSent = message as DebugProtocol.ProtocolMessage; });
    this.connection.start(guard, this.server.stdin as Writable);
  }

  /** Sends a request; resolves with the response's body, or rejects with the server's message. */
  request<R extends DebugProtocol.Response>(command: string, args: object = {}): Promise<R['body']> {
    if (this.state === 'gone') return Promise.reject(new ServerDiedError('the debug server is gone'));
    // Without a callback ProtocolServer sets no timeout timer (a request such as launch takes as long
    // as the program runs); the response is matched here by its request_seq.
    this.connection.sendRequest(command, args, 0, undefined as unknown as (response: DebugProtocol.Response) => void);
    const seq = this.lastSent?.seq ?? 0;
    return new Promise((resolve, reject) => this.pending.set(seq, { resolve, reject }));
  }

  /** Disconnects (the server then ends the session and exits) and waits for the server's exit. */
  async close(): Promise<void> {
    if (this.state !== 'running') return this.exited;
    this.state = 'quitting';
    try {
      await this.request('disconnect', { terminateDebuggee: true });
    } catch {
      // A server that cannot answer ends when its stdin closes.
    }
    this.server.stdin?.end();
    await this.exited;
  }

  private settle(response: DebugProtocol.Response): void {
    const waiting = this.pending.get(response.request_seq);
    if (!waiting) return;
    this.pending.delete(response.request_seq);
    if (response.success) waiting.resolve(response.body);
    else waiting.reject(new Error((response as DebugProtocol.ErrorResponse).body?.error?.format ?? response.message ?? `${response.command} failed`));
  }
}
