// Spawning native/hindsight_recorder: the command line from typed options, shared by `hindsight record`
// (terminal inherited) and the DAP launch (output piped into the session). Nothing else spawns it.
import { spawn, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
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
  /** The pipe whose end tells the launcher that the tool which started it has ended. */
  parentFd?: number;
}

/** The variable in which bin/hindsight.js, run by sh, hands Node the signals its caller ignored. */
const IGNORED_SIGNALS_VARIABLE = 'HINDSIGHT_IGNORED_SIGNALS';

/**
 * The signals ignored when `hindsight` was started (nohup, trap '' HUP), as the hex mask of Linux's
 * /proc/PID/status SigIgn, or undefined when unknown. Node resets them all at start-up and its spawn
 * resets them in children, so bin/hindsight.js reads them in sh first and exports `PID MASK`; the
 * PID (sh's, which Node's exec kept) tells this run from a copy inherited by another Node process.
 * Taken out of the environment here, at load: no child sees it.
 */
export const IGNORED_AT_START: string | undefined = takeIgnoredSignals(process.env, process.pid);

function takeIgnoredSignals(env: NodeJS.ProcessEnv, pid: number): string | undefined {
  const [owner, mask] = (env[IGNORED_SIGNALS_VARIABLE] ?? '').trim().split(/\s+/);
  delete env[IGNORED_SIGNALS_VARIABLE];
  return owner === String(pid) && mask !== undefined && /^[0-9a-f]{1,16}$/i.test(mask) ? mask : undefined;
}

/** Whether a signal, by name, was ignored when `hindsight` started. */
export function ignoredAtStart(name: NodeJS.Signals): boolean {
  const signum = os.constants.signals[name];
  return IGNORED_AT_START !== undefined && signum !== undefined && ((BigInt(`0x${IGNORED_AT_START}`) >> BigInt(signum - 1)) & 1n) === 1n;
}

/** The recorder's argv (after the Python executable). */
export function recorderArgs(options: RecorderOptions): string[] {
  const args = [path.join(REPO_ROOT, 'native', 'hindsight_recorder'), 'record', '--trace', options.trace];
  if (IGNORED_AT_START !== undefined) args.push('--ignored-signals', IGNORED_AT_START);
  for (const pattern of options.include ?? []) args.push('--include', pattern);
  for (const pattern of options.exclude ?? []) args.push('--exclude', pattern);
  for (const pattern of options.redact ?? []) args.push('--redact', pattern);
  if (options.maxEvents !== undefined) args.push('--max-events', options.maxEvents);
  if (options.code === 'all') args.push('--all-code');
  if (options.secrets === 'recorded') args.push('--no-redact');
  if (options.progressFd !== undefined) args.push('--progress-fd', String(options.progressFd));
  if (options.parentFd !== undefined) args.push('--parent-fd', String(options.parentFd));
  return [...args, '--', ...options.command];
}

/** The file descriptor on which a 'pipe' recorder writes `events N` lines (launcher.py ProgressLines). */
export const PROGRESS_FD = 3;

/**
 * Starts the recorder. 'inherit' passes the terminal through (`hindsight record`). 'pipe' is for a
 * tool (the DAP launch): stdin is /dev/null, never the tool's own (in stdio mode that is the
 * protocol); stdout and stderr are pipes; fd PROGRESS_FD carries progress lines; and the launcher
 * leads a process group of its own, so that one signal to the group reaches the program too.
 * Either way the launcher holds one more pipe, never written: it ends when this process does, even
 * by SIGKILL, and then the launcher ends the program too (launcher.py watch_parent).
 */
export function spawnRecorder(options: RecorderOptions, stdio: 'inherit' | 'pipe'): ChildProcess {
  if (stdio === 'inherit') {
    return spawn(options.python, recorderArgs({ ...options, parentFd: 3 }), {
      stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
      cwd: options.cwd,
      env: options.env,
    });
  }
  return spawn(options.python, recorderArgs({ ...options, progressFd: PROGRESS_FD, parentFd: PROGRESS_FD + 1 }), {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
    cwd: options.cwd,
    env: options.env,
    detached: true,
  });
}
