// `hindsight dap [--port N [--token T]]`: serves the Debug Adapter Protocol on stdio (default) or on
// 127.0.0.1:N behind a token, one HindsightSession per connection, each guarded against what is not DAP
// framing (framing.ts). In stdio mode nothing but the protocol may reach stdout.
import * as net from 'node:net';
import { pipeline, type Readable, type Writable } from 'node:stream';
import { OutputEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { FramingGuard } from './framing';
import { HindsightSession } from './session';
import { newToken, type Admission } from './token';

export const DAP_USAGE = `usage: hindsight dap [--port N [--token T]]

Serves the Debug Adapter Protocol: record and replay (launch) or replay a trace (attach { "trace": PATH }).
Speaks on stdin/stdout by default; with --port N it listens on 127.0.0.1:N (0 picks a free port, printed
on stderr) and serves any number of clients at once. Over TCP, launch and attach must carry "token": the
T of --token, else a random token printed on stderr with the port.`;

/** The sessions being served, so that a signal ending the server ends their recordings too. */
const live = new Set<HindsightSession>();

export async function dap(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write(`${DAP_USAGE}\n`);
    return 0;
  }
  // A recording runs in a process group of its own: it would outlive a server killed without this.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const session of live) session.dispose();
      process.kill(process.pid, signal);
    });
  }
  if (argv.length === 0) return serveStdio();
  const options = tcpOptions(argv);
  if (typeof options === 'string') {
    process.stderr.write(`hindsight dap: ${options}\n`);
    return 2;
  }
  return serveTcp(options.port, options.token);
}

/** `--port N [--token T]`, or what is wrong with the command line. */
function tcpOptions(argv: readonly string[]): { port: number; token: string | undefined } | string {
  const [flag, value, tokenFlag, token, ...rest] = argv;
  const port = flag === '--port' && value !== undefined ? Number(value) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535 || rest.length > 0 || (tokenFlag !== undefined && tokenFlag !== '--token')) {
    return 'give no options, or --port N with N from 0 to 65535 (and optionally --token T)';
  }
  if (tokenFlag !== undefined && !/^[\x21-\x7e]{8,}$/.test(token ?? '')) return '--token needs a token of at least 8 printable characters, without spaces';
  return { port, token };
}

function serveStdio(): Promise<number> {
  // Anything a dependency logs goes to stderr: stdout carries the protocol.
  console.log = console.info = console.error;
  return new Promise<number>((resolve) => {
    const session = new HindsightSession(() => resolve(0), 'open');
    serve(session, process.stdin, process.stdout, () => {
      process.stdin.destroy();
      resolve(1);
    });
    process.stdin.once('end', () => resolve(0));
  }).then((code) => {
    process.stdin.pause();
    return code;
  });
}

function serveTcp(port: number, given: string | undefined): Promise<number> {
  const admission: Admission = { token: given ?? newToken() };
  const tokenText = given === undefined ? `token ${admission.token}: pass "token": "${admission.token}" in launch or attach` : 'token given by --token';
  return new Promise((resolve) => {
    const server = net.createServer((socket) => {
      socket.on('error', () => socket.destroy());
      serve(new HindsightSession(() => socket.end(), admission), socket, socket, () => socket.end(() => socket.destroy()));
    });
    server.on('error', (error) => {
      process.stderr.write(`hindsight dap: cannot listen on 127.0.0.1:${port} (${error.message})\n`);
      resolve(1);
    });
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      process.stderr.write(`hindsight dap: listening on 127.0.0.1:${typeof address === 'object' && address ? address.port : port} (${tokenText})\n`);
    });
  });
}

/**
 * Runs one session on a connection. Garbage that keeps the framing (a body that is not JSON) is
 * reported on stderr and ignored; what is not DAP framing (framing.ts) loses it for good, so the
 * client is told and `onBroken` closes the connection.
 */
function serve(session: HindsightSession, input: Readable, output: Writable, onBroken: () => void): void {
  // A session never ends the process itself (the base class would on a stream error or close); we do.
  session.setRunAsServer(true);
  live.add(session);
  session.on('close', () => live.delete(session));
  session.on('error', (event: DebugProtocol.Event) => process.stderr.write(`hindsight dap: ${String(event.body)}\n`));
  const guard = new FramingGuard((problem) => {
    const reason = `${problem}; closing the connection`;
    process.stderr.write(`hindsight dap: ${reason}\n`);
    session.sendEvent(new OutputEvent(`hindsight: ${reason}\n`, 'important'));
    onBroken();
  });
  pipeline(input, guard, () => undefined);
  session.start(guard, output);
}
