// Drives `hindsight dap --port 0` over TCP on 127.0.0.1: `node drive-tcp.mjs PROGRAM LINE VARIABLE`.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as net from 'node:net';
import { DapClient } from './dap-client.mjs';
import { walkThrough } from './walk-through.mjs';

const [program, line, variable] = process.argv.slice(2);
const server = spawn('hindsight', ['dap', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
// The server prints "hindsight dap: listening on 127.0.0.1:PORT" on stderr.
const [banner] = await once(server.stderr, 'data');
const port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(banner.toString())[1]);
const socket = net.connect(port, '127.0.0.1');
await once(socket, 'connect');
await walkThrough(new DapClient(socket, socket), program, Number(line), variable);
socket.end();
server.kill(); // it serves any number of clients until stopped
