// The language server on the raw wire: `hindsight lsp --stdio` in a child process, fed bytes as they
// come (well-formed frames, broken ones, bodies that are not JSON), with every message it writes back
// parsed from its own Content-Length framing and kept, and its stderr kept, for exact assertions.
import { spawn } from 'node:child_process';
import { CLI } from './recordings';

export interface WireMessage {
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

export class LspWire {
  /** Every message the server wrote, in order, and its raw body. */
  readonly received: { message: WireMessage; body: string }[] = [];
  readonly exited: Promise<number | null>;
  private stderrText = '';
  private pending = Buffer.alloc(0);
  private readonly waiters = new Set<() => void>();
  private readonly child;

  constructor(root: string) {
    this.child = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => { this.wake(); resolve(code); }));
    this.child.stdout.on('data', (chunk: Buffer) => this.parse(chunk));
    this.child.stderr.setEncoding('utf8').on('data', (text: string) => { this.stderrText += text; this.wake(); });
    this.child.stdin.on('error', () => undefined); // writing after the server closed is part of some tests
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** One message, framed as the protocol says. */
  send(message: unknown): void {
    this.sendBody(JSON.stringify(message));
  }

  /** A body of any text, framed with its true length. */
  sendBody(body: string): void {
    this.sendRaw(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  sendRaw(bytes: string): void {
    this.child.stdin.write(bytes);
  }

  /** The responses that carry this id. */
  responses(id: number | string | null): WireMessage[] {
    return this.received.map(({ message }) => message).filter((message) => message.method === undefined && message.id === id);
  }

  /** Sends a request and resolves with its response. */
  async request(id: number, method: string, params?: unknown): Promise<WireMessage> {
    this.send({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
    await this.until(() => this.responses(id).length > 0, `the response to ${method} #${id}`);
    return this.responses(id)[0] as WireMessage;
  }

  /** Resolves once `check` holds (looked at on every message, stderr line and exit); fails after 20 s. */
  until(check: () => boolean, what: string): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.waiters.delete(waiter); reject(new Error(`timed out waiting for ${what}`)); }, 20_000);
      const waiter = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve();
      };
      this.waiters.add(waiter);
    });
  }

  kill(): void {
    this.child.kill();
  }

  private parse(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    for (;;) {
      const end = this.pending.indexOf('\r\n\r\n');
      if (end < 0) break;
      const length = Number(/Content-Length: (\d+)/.exec(this.pending.subarray(0, end).toString('latin1'))?.[1]);
      if (this.pending.length < end + 4 + length) break;
      const body = this.pending.subarray(end + 4, end + 4 + length).toString('utf8');
      this.pending = this.pending.subarray(end + 4 + length);
      this.received.push({ message: JSON.parse(body) as WireMessage, body });
    }
    this.wake();
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
  }
}
