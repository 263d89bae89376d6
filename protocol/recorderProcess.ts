// Spawning native/hindsight_recorder: the command line from typed options, shared by `hindsight record`
// (terminal inherited) and the DAP launch (output piped into the session). Nothing else spawns it.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

/** The repository root: dist/*.js (bundled) and protocol/*.ts (tests) both sit one level below it. */
const REPO_ROOT = path.resolve(__dirname, '..');

export interface RecorderOptions {
  python: string;
  /** Absolute path of the trace to write. */
  trace: string;
  /** What to run: ['prog.py', ...args] or ['-m', 'module', ...args]. */
  command: readonly string[];
  include?: readonly string[];
  exclude?: readonly string[];
  redact?: readonly string[];
  /** 'mine' (default) records your code only; 'all' libraries too (--all-code). */
  code?: 'mine' | 'all';
  /** 'redacted' (default) hides secrets; 'recorded' keeps them (--no-redact). */
  secrets?: 'redacted' | 'recorded';
  /** Kept as text: the caller has validated it. */
  maxEvents?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** The recorder's argv (after the Python executable). */
export function recorderArgs(options: RecorderOptions): string[] {
  const args = [path.join(REPO_ROOT, 'native', 'hindsight_recorder'), 'record', '--trace', options.trace];
  for (const pattern of options.include ?? []) args.push('--include', pattern);
  for (const pattern of options.exclude ?? []) args.push('--exclude', pattern);
  for (const pattern of options.redact ?? []) args.push('--redact', pattern);
  if (options.maxEvents !== undefined) args.push('--max-events', options.maxEvents);
  if (options.code === 'all') args.push('--all-code');
  if (options.secrets === 'recorded') args.push('--no-redact');
  return [...args, '--', ...options.command];
}

/** Starts the recorder; 'inherit' passes the terminal through, 'pipe' hands stdout/stderr to the caller (stdin closed). */
export function spawnRecorder(options: RecorderOptions, stdio: 'inherit' | 'pipe'): ChildProcess {
  return spawn(options.python, recorderArgs(options), {
    stdio: stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    cwd: options.cwd,
    env: options.env,
  });
}
