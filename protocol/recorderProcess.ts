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
  /** An open file descriptor of the launcher on which it writes `events N` lines while recording. */
  progressFd?: number;
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
  if (options.progressFd !== undefined) args.push('--progress-fd', String(options.progressFd));
  return [...args, '--', ...options.command];
}

/** The file descriptor on which a 'pipe' recorder writes `events N` lines (launcher.py ProgressLines). */
export const PROGRESS_FD = 3;

/**
 * Starts the recorder. 'inherit' passes the terminal through (`hindsight record`). 'pipe' is for a
 * tool (the DAP launch): stdin is /dev/null, never the tool's own (in stdio mode that is the
 * protocol); stdout and stderr are pipes; fd PROGRESS_FD carries progress lines; and the launcher
 * leads a process group of its own, so that one signal to the group reaches the program too.
 */
export function spawnRecorder(options: RecorderOptions, stdio: 'inherit' | 'pipe'): ChildProcess {
  if (stdio === 'inherit') return spawn(options.python, recorderArgs(options), { stdio: 'inherit', cwd: options.cwd, env: options.env });
  return spawn(options.python, recorderArgs({ ...options, progressFd: PROGRESS_FD }), {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    cwd: options.cwd,
    env: options.env,
    detached: true,
  });
}
