// Recorder and signals: a debuggee killed with SIGKILL leaves an incomplete trace of what was flushed;
// Ctrl-C (SIGINT to the process group, as a terminal sends it) ends the program as Python would.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Trace } from '../protocol/reader';
import { pythons, type Python } from './support/pythons';
import { RECORDER, RECORDER_FIXTURES, recorderFixture, waitFor } from './support/recorder';
import { freshDir } from './support/recordings';
import { TraceDb } from './support/traceDb';

interface Live {
  process: ChildProcess;
  trace: string;
  stdout: () => string;
  stderr: () => string;
  ended: Promise<{ status: number | null; signal: NodeJS.Signals | null }>;
}

const started: Live[] = [];

/** Starts the recorder on a fixture that runs until a signal ends it, in a process group of its own. */
function start(python: Python, script: string): Live {
  const trace = path.join(freshDir(`${script}-${python.version}`), `${script}.trace.db`);
  const child = spawn(python.executable, [RECORDER, 'record', '--trace', trace, '--', recorderFixture(script)],
    { cwd: RECORDER_FIXTURES, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (status, signal) => resolve({ status, signal })));
  const live = { process: child, trace, stdout: () => stdout, stderr: () => stderr, ended };
  started.push(live);
  return live;
}

/** How the launcher ended, once it has; a launcher still running after timeoutMs fails the test. */
async function ending(live: Live, after: string, timeoutMs = 20_000): Promise<{ status: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the recorder still runs ${timeoutMs / 1000} s after ${after}; stderr:\n${live.stderr()}`)), timeoutMs);
  });
  try {
    return await Promise.race([live.ended, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Kills the process groups of runs that a failed test left behind (launcher and program alike). */
function killLeftovers(): void {
  for (const live of started.splice(0)) {
    try {
      process.kill(-(live.process.pid ?? 0), 'SIGKILL');
    } catch {
      // The group is gone: everything ended.
    }
  }
}

/** The pids whose parent is pid (from /proc, Linux). */
function childrenOf(pid: number): number[] {
  return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((name) => {
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return parent === pid ? [Number(name)] : [];
    } catch {
      return []; // exited meanwhile
    }
  });
}

async function query<T>(trace: string, body: (db: TraceDb) => T): Promise<T> {
  const db = await TraceDb.open(trace);
  try {
    return body(db);
  } finally {
    db.close();
  }
}

describe('recorder: signals', () => {
  afterEach(killLeftovers);

  for (const python of pythons()) {
    describe(`on Python ${python.version}`, () => {
      it('keeps everything flushed before the program was killed with SIGKILL', async () => {
        const live = start(python, 'counts_until_killed');
        const counted = (db: TraceDb) => db.history(Number(db.moduleInvocation().id), 'i');
        await waitFor('the trace to show i = 20', () => query(live.trace, (db) => counted(db).includes(20)));
        const [debuggee, ...others] = childrenOf(live.process.pid ?? 0);
        assert.ok(debuggee && others.length === 0, 'the launcher has one child: the program');
        process.kill(debuggee, 'SIGKILL');
        const ended = await ending(live, 'its program was killed');
        assert.deepEqual(ended, { status: null, signal: 'SIGKILL' }, 'the launcher dies of the same signal');
        await query(live.trace, (db) => {
          assert.deepEqual(['status', 'exit_code', 'exit_signal'].map((key) => db.meta(key)), ['incomplete', null, 9]);
          const values = counted(db);
          assert.ok(values.length > 20, `${values.length} values of i`);
          assert.deepEqual(values, values.map((_, i) => i), 'every count up to the last flush');
          const output = db.output(1);
          assert.ok(output.length > 0 && live.stdout().startsWith(output), 'the recorded output is what the program printed, up to the last flush');
          assert.deepEqual(db.rows('SELECT count(*) AS n, max(seq) AS last FROM event').map((row) => row.n === row.last), [true], 'seq is dense');
          assert.equal(db.moduleInvocation().end_kind, null, 'the module was still running');
        });
        const reader = await Trace.open(live.trace);
        assert.equal(reader.summary().status, 'incomplete');
        reader.close();
      });

      it('lets Ctrl-C interrupt the program as under plain Python, and finishes the trace', async () => {
        const live = start(python, 'interrupted');
        await waitFor('spin() to run in the trace', () => query(live.trace, (db) => db.invocations('spin').length === 1));
        process.kill(-(live.process.pid ?? 0), 'SIGINT');
        const ended = await ending(live, 'Ctrl-C');
        assert.deepEqual(ended, { status: null, signal: 'SIGINT' }, `the launcher dies of SIGINT; stderr:\n${live.stderr()}`);
        assert.equal(live.stdout(), 'finally ran\n', 'the program’s finally block ran');
        const stderr = live.stderr();
        assert.ok(stderr.startsWith('Traceback (most recent call last):\n') && stderr.endsWith('\nKeyboardInterrupt\n'), stderr);
        const frames = stderr.split('\n').filter((line) => line.startsWith('  File '));
        assert.deepEqual(frames.filter((line) => !line.startsWith(`  File "${recorderFixture('interrupted')}"`)), [],
          'only the program’s own frames, none of the recorder’s');
        await query(live.trace, (db) => {
          assert.deepEqual(['status', 'exit_code', 'exit_signal', 'recorder_error'].map((key) => db.meta(key)), ['complete', null, 2, undefined]);
          assert.deepEqual(db.rows('SELECT type, uncaught FROM exception'), [{ type: 'KeyboardInterrupt', uncaught: 1 }]);
          assert.equal(db.output(1), 'finally ran\n', 'recording went on through the finally block');
        });
      });
    });
  }
});
