// `launch`: records the program (debugpy's launch vocabulary) with its output streamed to the client,
// then hands the trace to the session for replay. A run that leaves no trace is an Error with the reason.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { spawnRecorder, type RecorderOptions } from '../protocol/recorderProcess';
import { newTracePath } from '../protocol/traceDir';

/** Launch arguments; the names are debugpy's where it has one (editors' launch.json files match them). */
export interface LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** The script to run (relative to cwd); or `module`. */
  program?: string;
  /** A module to run as `python -m module`. */
  module?: string;
  /** The program's arguments. */
  args?: string[];
  /** Working directory of the program (default: the adapter's). */
  cwd?: string;
  /** Extra environment variables for the program. */
  env?: Record<string, string>;
  /** The Python to run (default: $HINDSIGHT_PYTHON, else python3). */
  python?: string;
  /** false records libraries too (--all-code). Default true. */
  justMyCode?: boolean;
  /** Where to write the trace (default: <cwd>/.hindsight/<prog>-<time>.trace.db). */
  trace?: string;
  include?: string[];
  exclude?: string[];
  /** Stop recording after this many events. */
  maxEvents?: number;
  /** false records secrets too (--no-redact); a list adds name patterns to redact. Default true. */
  redact?: boolean | string[];
  /** Stop on the program's first line. Default true. */
  stopOnEntry?: boolean;
}

export type OutputSink = (category: 'stdout' | 'stderr', text: string) => void;

/** Records the program; resolves to the trace's absolute path, or rejects with a sentence for the user. */
export async function recordForLaunch(args: LaunchArguments, output: OutputSink): Promise<string> {
  const options = recorderOptions(args);
  const previous = fs.statSync(options.trace, { throwIfNoEntry: false });
  let stderrTail = '';
  const exit = await new Promise<{ code: number | null } | { error: NodeJS.ErrnoException }>((resolve) => {
    const child = spawnRecorder(options, 'pipe');
    child.stdout?.setEncoding('utf8').on('data', (text: string) => output('stdout', text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderrTail = (stderrTail + text).slice(-2000);
      output('stderr', text);
    });
    child.once('error', (error: NodeJS.ErrnoException) => resolve({ error }));
    child.once('close', (code) => resolve({ code }));
  });
  if ('error' in exit) {
    const reason = exit.error.code === 'ENOENT' ? 'Python not found' : `cannot run Python (${exit.error.code})`;
    throw new Error(`${reason}: '${options.python}'; set "python" in the launch configuration or HINDSIGHT_PYTHON`);
  }
  const written = fs.statSync(options.trace, { throwIfNoEntry: false });
  if (!written || (previous && written.ino === previous.ino && written.mtimeMs === previous.mtimeMs)) {
    const reason = stderrTail.trim().split('\n').slice(-3).join('\n') || `the recorder exited with code ${exit.code}`;
    throw new Error(`the program was not recorded: ${reason}`);
  }
  return options.trace;
}

function recorderOptions(args: LaunchArguments): RecorderOptions {
  const cwd = path.resolve(args.cwd ?? process.cwd());
  if (!args.program === !args.module) throw new Error("give either 'program' or 'module' in the launch configuration");
  if (args.args !== undefined && !(Array.isArray(args.args) && args.args.every((arg) => typeof arg === 'string'))) {
    throw new Error("'args' must be a list of strings");
  }
  if (args.maxEvents !== undefined && !(Number.isInteger(args.maxEvents) && args.maxEvents > 0)) {
    throw new Error("'maxEvents' must be a positive integer");
  }
  const command = args.module ? ['-m', args.module, ...(args.args ?? [])] : [path.resolve(cwd, args.program ?? ''), ...(args.args ?? [])];
  const program = args.module ? `-m ${args.module}` : command[0] ?? '';
  return {
    python: args.python ?? (process.env.HINDSIGHT_PYTHON || 'python3'),
    trace: args.trace ? path.resolve(cwd, args.trace) : newTracePath(path.join(cwd, '.hindsight'), program, new Date()),
    command,
    include: args.include ?? [],
    exclude: args.exclude ?? [],
    redact: Array.isArray(args.redact) ? args.redact : [],
    maxEvents: args.maxEvents === undefined ? undefined : String(args.maxEvents),
    code: args.justMyCode === false ? 'all' : 'mine',
    secrets: args.redact === false ? 'recorded' : 'redacted',
    cwd,
    env: { ...process.env, ...(args.env ?? {}) },
  };
}
