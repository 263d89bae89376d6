// Drives `hindsight dap --port 0` over TCP on 127.0.0.1: `node drive-tcp.mjs PROGRAM LINE VARIABLE`.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as net from 'node:net';
import { DapClient } from './dap-client.mjs';
import { walkThrough } from './walk-through.mjs';

const [program, line, variable] = process.argv.slice(2);
const server = spawn('hindsight', ['dap', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
// The server prints "hindsight dap: listening on 127.0.0.1:PORT (token TOKEN: …)" on stderr;
// launch and attach must carry that token.
const [banner] = await once(server.stderr, 'data');
const [, port, token] = /listening on 127\.0\.0\.1:(\d+) \(token (\w+)/.exec(banner.toString());
const socket = net.connect(Number(port), '127.0.0.1');
await once(socket, 'connect');
await walkThrough(new DapClient(socket, socket), { program, line: Number(line), variable, token });
socket.end();
server.kill(); // it serves any number of clients until stopped
