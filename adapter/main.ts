// `hindsight dap [--port N]`: serves the Debug Adapter Protocol on stdio (default) or on 127.0.0.1:N,
// one HindsightSession per connection, each guarded against broken framing (framing.ts). In stdio mode
// nothing but the protocol may reach stdout.
import * as net from 'node:net';
import { pipeline, type Readable, type Writable } from 'node:stream';
import { OutputEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { FramingGuard } from './framing';
import { HindsightSession } from './session';

export const DAP_USAGE = `usage: hindsight dap [--port N]

Serves the Debug Adapter Protocol: record and replay (launch) or replay a trace (attach { "trace": PATH }).
Speaks on stdin/stdout by default; with --port N it listens on 127.0.0.1:N (0 picks a free port, printed
on stderr) and serves any number of clients at once.`;

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
  const port = argv[0] === '--port' && argv.length === 2 ? Number(argv[1]) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`hindsight dap: give no options, or --port N with N from 0 to 65535\n`);
    return 2;
  }
  return serveTcp(port);
}

function serveStdio(): Promise<number> {
  // Anything a dependency logs goes to stderr: stdout carries the protocol.
  console.log = console.info = console.error;
  return new Promise<number>((resolve) => {
    const session = new HindsightSession(() => resolve(0));
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

function serveTcp(port: number): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer((socket) => {
      socket.on('error', () => socket.destroy());
      serve(new HindsightSession(() => socket.end()), socket, socket, () => socket.end(() => socket.destroy()));
    });
    server.on('error', (error) => {
      process.stderr.write(`hindsight dap: cannot listen on 127.0.0.1:${port} (${error.message})\n`);
      resolve(1);
    });
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      process.stderr.write(`hindsight dap: listening on 127.0.0.1:${typeof address === 'object' && address ? address.port : port}\n`);
    });
  });
}

/**
 * Runs one session on a connection. Garbage that keeps the framing (a body that is not JSON) is
 * reported on stderr and ignored; a header without a valid Content-Length loses the framing for
 * good, so the client is told and `onBroken` closes the connection.
 */
function serve(session: HindsightSession, input: Readable, output: Writable, onBroken: () => void): void {
  // A session never ends the process itself (the base class would on a stream error or close); we do.
  session.setRunAsServer(true);
  live.add(session);
  session.on('close', () => live.delete(session));
  session.on('error', (event: DebugProtocol.Event) => process.stderr.write(`hindsight dap: ${String(event.body)}\n`));
  const guard = new FramingGuard((header) => {
    const reason = `a message header without a valid Content-Length (${JSON.stringify(header.slice(0, 80))}); closing the connection`;
    process.stderr.write(`hindsight dap: ${reason}\n`);
    session.sendEvent(new OutputEvent(`hindsight: ${reason}\n`, 'important'));
    onBroken();
  });
  pipeline(input, guard, () => undefined);
  session.start(guard, output);
}
