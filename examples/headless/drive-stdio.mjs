// Drives `hindsight dap` on stdin/stdout: `node drive-stdio.mjs PROGRAM LINE VARIABLE`.
import { spawn } from 'node:child_process';
import { DapClient } from './dap-client.mjs';
import { walkThrough } from './walk-through.mjs';

const [program, line, variable] = process.argv.slice(2);
const server = spawn('hindsight', ['dap'], { stdio: ['pipe', 'pipe', 'inherit'] });
await walkThrough(new DapClient(server.stdout, server.stdin), { program, line: Number(line), variable });
server.stdin.end(); // the server exits when its input ends
