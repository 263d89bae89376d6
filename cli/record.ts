// `hindsight record`: runs a Python program under native/hindsight_recorder with the terminal passed
// through untouched, prints a summary of the trace on stderr, and exits as the program did.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Trace, WRITER_DIED_REASON } from '../protocol/reader';
import { ignoredAtStart, spawnRecorder, type RecorderOptions } from '../protocol/recorderProcess';
import { defaultTraceDir, displayPath, newTracePath, pruneTraces } from '../protocol/traceDir';
import { intOption, parseArgs, type ParsedArgs } from './args';
import { keepCount } from './clean';
import { EXIT_USAGE, fileSystemReason, UsageError } from './errors';
import { formatBytes, formatDuration, plural } from './format';
import { terminalText } from './terminalText';

export const RECORD_USAGE = `usage: hindsight record [options] (prog.py | -m module) [args…]

Runs the program under the recorder and writes a trace (default .hindsight/<prog>-<time>.trace.db).
Standard input and output pass through; hindsight exits with the program's exit code.

  --python PY       the Python to run (default: $HINDSIGHT_PYTHON, else python3)
  --trace PATH      where to write the trace
  --include PAT     also record code whose path or qualified name matches (repeatable)
  --exclude PAT     never record code whose path or qualified name matches (repeatable)
  --all-code        record libraries too, not only your code
  --max-events N    stop recording after N events (the program runs on)
  --redact PAT      also redact variables whose name matches (repeatable)
  --no-redact       record secrets (password, token, api_key…) too
  --keep N          keep the newest N traces in .hindsight/ (default: $HINDSIGHT_KEEP, else 20)`;

const SPEC = {
  flags: ['--all-code', '--no-redact', '--help'],
  values: ['--python', '--trace', '--max-events', '--keep'],
  lists: ['--include', '--exclude', '--redact'],
};

export async function record(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv, SPEC, 'hindsight record', 'before-positionals');
  if (parsed.flags.has('--help')) {
    process.stdout.write(`${RECORD_USAGE}\n`);
    return 0;
  }
  const command = parsed.positionals;
  if (command.length === 0 || (command[0] === '-m' && !command[1])) {
    throw new UsageError('hindsight record: nothing to record: give prog.py or -m module');
  }
  const keep = keepCount(intOption(parsed, '--keep', 'hindsight record', 1));
  intOption(parsed, '--max-events', 'hindsight record', 0); // checked here; the recorder gets the text
  const python = parsed.values.get('--python') ?? (process.env.HINDSIGHT_PYTHON || 'python3');
  const program = command[0] === '-m' ? `-m ${command[1]}` : command[0] ?? '';
  const chosen = parsed.values.get('--trace');
  const tracePath = chosen === undefined ? defaultTrace(program) : writableTrace(chosen);

  const previous = fs.statSync(tracePath, { throwIfNoEntry: false });
  const started = Date.now();
  const exit = await runRecorder(recorderOptions(python, tracePath, command, parsed));
  if ('spawnError' in exit) {
    const reason = exit.spawnError.code === 'ENOENT' ? 'Python not found' : `cannot run Python (${exit.spawnError.code})`;
    process.stderr.write(`hindsight: ${reason}: '${python}' (use --python or HINDSIGHT_PYTHON)\n`);
    return EXIT_USAGE;
  }
  // No new trace: the recorder refused (no such program, Python too old) or the program never ran
  // (syntax error, no such module); either way the reason is already on stderr.
  const written = fs.statSync(tracePath, { throwIfNoEntry: false });
  if (written?.size === 0) {
    // The writer made the file and was killed before its first transaction: nothing was recorded.
    for (const file of [tracePath, `${tracePath}-journal`]) fs.rmSync(file, { force: true });
    const how = exit.signal ? `killed by ${exit.signal}` : 'stopped';
    process.stderr.write(`hindsight: no trace: the recorder was ${how} before it had made one\n`);
  } else if (written && (!previous || written.ino !== previous.ino || written.mtimeMs !== previous.mtimeMs)) {
    await printSummary(tracePath, Date.now() - started, exit.signal);
    if (chosen === undefined) pruneTraces(path.dirname(tracePath), keep, tracePath);
  }
  if (exit.signal) {
    // Die of the same signal, as the recorder did; 128 + n covers a signal Node ignores (SIGPIPE).
    process.kill(process.pid, exit.signal);
    return 128 + (os.constants.signals[exit.signal] ?? 0);
  }
  return exit.code ?? 1;
}

type RecorderExit = { code: number | null; signal: NodeJS.Signals | null } | { spawnError: NodeJS.ErrnoException };

/** Signals that stop or end a process and that the caller may have ignored (nohup, trap '' HUP). */
const IGNORABLE: readonly NodeJS.Signals[] = ['SIGHUP', 'SIGQUIT', 'SIGUSR2', 'SIGALRM', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU'];

/**
 * Runs the recorder with the terminal inherited; Ctrl-C is left to the program, SIGTERM forwarded.
 * A signal the caller ignored is ignored here too, so that `nohup hindsight record` survives a hang-up.
 */
function runRecorder(options: RecorderOptions): Promise<RecorderExit> {
  return new Promise((resolve) => {
    const child = spawnRecorder(options, 'inherit');
    const ignore = () => undefined;
    const forwardTerminate = () => child.kill('SIGTERM');
    const ignored = IGNORABLE.filter(ignoredAtStart);
    process.on('SIGINT', ignore);
    process.on('SIGTERM', forwardTerminate);
    for (const name of ignored) process.on(name, ignore);
    const settle = (exit: RecorderExit) => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', forwardTerminate);
      for (const name of ignored) process.off(name, ignore);
      resolve(exit);
    };
    child.once('error', (error: NodeJS.ErrnoException) => settle({ spawnError: error }));
    child.once('exit', (code, signal) => settle({ code, signal }));
  });
}

function recorderOptions(python: string, trace: string, command: readonly string[], parsed: ParsedArgs): RecorderOptions {
  return {
    python,
    trace,
    command,
    include: parsed.lists.get('--include') ?? [],
    exclude: parsed.lists.get('--exclude') ?? [],
    redact: parsed.lists.get('--redact') ?? [],
    maxEvents: parsed.values.get('--max-events'),
    code: parsed.flags.has('--all-code') ? 'all' : 'mine',
    secrets: parsed.flags.has('--no-redact') ? 'recorded' : 'redacted',
  };
}

function defaultTrace(program: string): string {
  const dir = defaultTraceDir();
  try {
    return writableTrace(newTracePath(dir, program, new Date()));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`hindsight record: cannot create ${displayPath(dir)}: ${fileSystemReason(error)}; record elsewhere with --trace PATH`);
  }
}

/**
 * The trace path, absolute, once its folder is known to exist and be writable. Whether a file there
 * may be replaced (only a Hindsight trace) the recorder decides, for the DAP launch too.
 */
function writableTrace(file: string): string {
  const absolute = path.resolve(file);
  try {
    fs.accessSync(path.dirname(absolute), fs.constants.W_OK);
  } catch (error) {
    throw new UsageError(`hindsight record: cannot write the trace to '${file}': ${fileSystemReason(error)}`);
  }
  return absolute;
}

async function printSummary(tracePath: string, elapsedMs: number, recorderSignal: NodeJS.Signals | null): Promise<void> {
  const lines: string[] = [];
  try {
    const trace = await Trace.open(tracePath);
    const summary = trace.summary();
    trace.close();
    const size = fs.statSync(tracePath).size;
    const uncaught = summary.uncaughtExceptions ? ` (${summary.uncaughtExceptions} uncaught)` : '';
    lines.push(`recorded ${plural(summary.events, 'event')}, ${plural(summary.invocations, 'invocation')}, `
      + `${plural(summary.exceptions, 'exception')}${uncaught}, ${plural(summary.threads, 'thread')} in ${formatDuration(elapsedMs)}`);
    if (summary.status !== 'complete') lines.push(`trace ${summary.status}: ${summary.endReason ?? 'no reason recorded'}`);
    if (summary.endReason === WRITER_DIED_REASON) {
      // The recorder itself was killed (it would have finished the trace): the program was not.
      lines.push(`the recorder was ${recorderSignal ? `killed by ${recorderSignal}` : 'stopped'}; the program runs on unrecorded`);
    }
    const perEvent = summary.events ? `, ${Math.round(size / summary.events).toLocaleString('en-US')} bytes/event` : '';
    lines.push(`trace ${displayPath(tracePath)} (${formatBytes(size)}${perEvent})`);
  } catch (error) {
    lines.push((error as Error).message);
  }
  process.stderr.write(lines.map((line) => `hindsight: ${terminalText(line)}\n`).join(''));
}
