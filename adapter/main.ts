// `hindsight dap [--port N]`: serves the Debug Adapter Protocol on stdio (default) or on 127.0.0.1:N,
// one HindsightSession per connection. In stdio mode nothing but the protocol may reach stdout.
import * as net from 'node:net';
import { HindsightSession } from './session';

export const DAP_USAGE = `usage: hindsight dap [--port N]

Serves the Debug Adapter Protocol: record and replay (launch) or replay a trace (attach { "trace": PATH }).
Speaks on stdin/stdout by default; with --port N it listens on 127.0.0.1:N (0 picks a free port, printed
on stderr) and serves any number of clients at once.`;

export async function dap(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write(`${DAP_USAGE}\n`);
    return 0;
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
  return new Promise((resolve) => {
    const session = new HindsightSession(() => resolve(0));
    session.start(process.stdin, process.stdout);
    process.stdin.once('end', () => resolve(0));
  }).then((code) => {
    process.stdin.pause();
    return code as number;
  });
}

function serveTcp(port: number): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer((socket) => {
      socket.on('error', () => socket.destroy());
      const session = new HindsightSession(() => socket.end());
      session.setRunAsServer(true);
      session.start(socket, socket);
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
