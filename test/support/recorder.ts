// Runs test/fixtures/recorder/*.py under the recorder (native/hindsight_recorder) and under plain
// Python, a few processes at a time, each result made once per test run and shared by the suites.
import { strict as assert } from 'node:assert';
import { spawn, type SpawnOptions } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Python } from './pythons';
import { FIXTURES, freshDir, markedLine, REPO } from './recordings';
import { TraceDb, type Value } from './traceDb';

export const RECORDER = path.join(REPO, 'native', 'hindsight_recorder');
export const RECORDER_FIXTURES = path.join(FIXTURES, 'recorder');

/** test/fixtures/recorder/NAME.py */
export function recorderFixture(name: string): string {
  return path.join(RECORDER_FIXTURES, `${name}.py`);
}

/** The 1-based line of test/fixtures/recorder/NAME.py marked `# mark: MARK`. */
export function marked(name: string, mark: string): number {
  return markedLine(`recorder/${name}`, mark);
}

/** How a process ended and what it wrote. */
export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
}

export interface Recording extends Run {
  /** Where the trace was asked for; it may not exist (a program that never ran leaves none). */
  trace: string;
}

/** What to run: a fixture (`prog.py args`) or a package (`-m pkg args`), from test/fixtures/recorder. */
export type Program = { script: string; args?: string[] } | { module: string; args?: string[] };

export interface RecordOptions {
  /** Recorder options before `--`, e.g. ['--max-events', '50']. */
  options?: string[];
  /** Bytes for the program's stdin (empty otherwise). */
  input?: string;
  /** Variables added to the environment the recorder and the program get. */
  env?: Record<string, string>;
}

/** The command after `python` (or after the recorder's `--`). */
export function commandOf(program: Program): string[] {
  return 'script' in program
    ? [recorderFixture(program.script), ...(program.args ?? [])]
    : ['-m', program.module, ...(program.args ?? [])];
}

const made = new Map<string, Promise<unknown>>();

/** The recorder's run of a program: trace, exit and output. Made once per (Python, program, options). */
export function record(python: Python, program: Program, options: RecordOptions = {}): Promise<Recording> {
  return once(['record', python.executable, program, options], () => {
    const name = 'script' in program ? program.script : program.module;
    const trace = path.join(freshDir(`${name}-${python.version}`), `${name}.trace.db`);
    const argv = [RECORDER, 'record', '--trace', trace, ...(options.options ?? []), '--', ...commandOf(program)];
    return run(python.executable, argv, options.input, options.env).then((ended) => ({ ...ended, trace }));
  });
}

/** The same program under plain Python, to compare with the recorder's run. */
export function runPlain(python: Python, program: Program, input?: string): Promise<Run> {
  return once(['plain', python.executable, program, input], () => run(python.executable, commandOf(program), input));
}

/** Runs the recorder with arbitrary arguments (usage errors, missing files), not cached. */
export function runRecorder(python: Python, args: string[]): Promise<Run> {
  return run(python.executable, [RECORDER, 'record', ...args]);
}

function once<T>(key: unknown[], make: () => Promise<T>): Promise<T> {
  const id = JSON.stringify(key);
  let result = made.get(id) as Promise<T> | undefined;
  if (!result) {
    result = make();
    result.catch(() => undefined); // reported by the test that awaits it, not as an unhandled rejection
    made.set(id, result);
  }
  return result;
}

/** Starts the work of many tests at once (they then await the same promises): one pool does the rest. */
export function prepare(work: Promise<unknown>[]): void {
  for (const promise of work) promise.catch(() => undefined);
}

const LIMIT = os.availableParallelism() + 1; // interpreters spend much of their time starting up
let running = 0;
const waiting: (() => void)[] = [];

/** A slot in the process pool; release hands it straight to the next waiter. */
async function acquire(): Promise<() => void> {
  if (running < LIMIT) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  return () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
}

/** Runs a process from test/fixtures/recorder with the given stdin; resolves when it has exited. */
async function run(executable: string, argv: string[], input = '', env?: Record<string, string>): Promise<Run> {
  const release = await acquire();
  try {
    return await new Promise<Run>((resolve, reject) => {
      const options: SpawnOptions = {
        cwd: RECORDER_FIXTURES, stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000, env: env && { ...process.env, ...env },
      };
      const child = spawn(executable, argv, options);
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.once('error', reject);
      child.once('close', (status, signal) =>
        resolve({ status, signal, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr) }));
      child.stdin?.end(input);
    });
  } finally {
    release();
  }
}

/** Polls until condition() holds (errors count as "not yet"), at most timeoutMs. */
export async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await condition()) return;
    } catch {
      // A file being written may be read half-way: try again.
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}


/** Records a program (once per run with these options), checks it exited 0 and was recorded
 * cleanly, then runs body on the trace. */
export async function checkRecording(python: Python, program: Program, options: RecordOptions, body: (db: TraceDb) => void): Promise<void> {
  const run = await record(python, program, options);
  assert.equal(run.status, 0, `${commandOf(program).join(' ')} exit status; stderr:\n${run.stderr}`);
  await withTrace(run.trace, (db) => {
    assert.deepEqual([db.meta('status'), db.meta('recorder_error')], ['complete', undefined]);
    body(db);
  });
}

/** Opens a trace file, runs body on it, and closes it. */
export async function withTrace(file: string, body: (db: TraceDb) => void): Promise<void> {
  const db = await TraceDb.open(file);
  try {
    body(db);
  } finally {
    db.close();
  }
}

/** A module variable's last value. */
export function globalValue(db: TraceDb, name: string): Value {
  return db.last(Number(db.moduleInvocation().id), name);
}
