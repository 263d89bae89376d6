// `hindsight record` and signals: Ctrl-C goes to the program (the CLI waits, prints the summary and
// dies of SIGINT as the program did); SIGTERM sent to the CLI is forwarded to the program.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { CLI, fixture, freshDir } from './support/recordings';

interface Ended {
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Starts `hindsight record sleeps.py` in its own process group, calls `interrupt` once it sleeps. */
function recordSleeper(interrupt: (pid: number) => void): Promise<Ended> {
  const trace = path.join(freshDir('signals'), 'sleeps.trace.db');
  const cli = spawn(process.execPath, [CLI, 'record', '--trace', trace, fixture('sleeps')], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  cli.stdout.once('data', () => interrupt(cli.pid ?? 0));
  return new Promise((resolve) => cli.once('close', (_code, signal) => resolve({ signal, stderr })));
}

describe('hindsight record and signals', () => {
  it('leaves Ctrl-C to the program, then dies of SIGINT after the summary', async () => {
    const ended = await recordSleeper((pid) => process.kill(-pid, 'SIGINT'));
    assert.equal(ended.signal, 'SIGINT');
    assert.match(ended.stderr, /KeyboardInterrupt\n/);
    assert.match(ended.stderr, /^hindsight: recorded \d+ events, 1 invocation, 1 exception \(1 uncaught\), 1 thread in .+$/m);
  });

  it('forwards SIGTERM to the program and dies of it after the summary', async () => {
    const ended = await recordSleeper((pid) => process.kill(pid, 'SIGTERM'));
    assert.equal(ended.signal, 'SIGTERM');
    assert.match(ended.stderr, /^hindsight: recorded \d+ events, 1 invocation, 0 exceptions, 1 thread in .+$/m);
  });
});
