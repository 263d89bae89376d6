// `hindsight debug`: a terminal time-travel debugger with pdb's commands. It records the program (or
// opens a trace) and replays it as a client of our own DAP server (cli/debug/: client, debugger, input).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LaunchArguments } from '../adapter/launchArguments';
import { defaultTraceDir } from '../protocol/traceDir';
import { intOption, parseArgs, type ParsedArgs } from './args';
import { ServerDiedError } from './debug/client';
import { Debugger, type Target } from './debug/debugger';
import { commandLoop } from './debug/input';
import { EXIT_BAD_TRACE, UsageError } from './errors';
import { lastTrace } from './pickTrace';
import { terminalBlock, terminalText } from './terminalText';

export const DEBUG_USAGE = `usage: hindsight debug [options] (prog.py | -m module) [args…]
       hindsight debug (--trace TRACE | --last)

Records the program (as 'hindsight record' does, into .hindsight/), then debugs the recording with
pdb's commands, forwards and backwards: n s r c b cl p w l u d q, plus back, rs, rr, rc, goto N,
history NAME, when ('h' at the prompt describes them). With --trace TRACE and no program, or with
--last, it opens a trace recorded before.

The program's output appears as it runs, before the first prompt. Its standard input is empty (end
of file at once): the terminal belongs to the debugger. Ctrl-C while it runs stops it as Ctrl-C
would, and debugs what was recorded. Commands may be piped in, one per line: each is echoed after
the prompt, and the session ends at the end of input.

  --python PY       the Python to run (default: $HINDSIGHT_PYTHON, else python3)
  --trace PATH      where to write the trace; without a program, the trace to open
  --last            open the newest trace in .hindsight/
  --include PAT     also record code whose path or qualified name matches (repeatable)
  --exclude PAT     never record code whose path or qualified name matches (repeatable)
  --all-code        record libraries too, not only your code
  --max-events N    stop recording after N events (the program runs on)
  --redact PAT      also redact variables whose name matches (repeatable)
  --no-redact       record secrets (password, token, api_key…) too`;

const SPEC = {
  flags: ['--all-code', '--no-redact', '--last', '--help'],
  values: ['--python', '--trace', '--max-events'],
  lists: ['--include', '--exclude', '--redact'],
};

/** Options that only mean something when a program is recorded. */
const RECORDING_OPTIONS = ['--python', '--max-events', '--include', '--exclude', '--redact', '--all-code', '--no-redact'];

export async function debug(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv, SPEC, 'hindsight debug', 'before-positionals');
  if (parsed.flags.has('--help')) {
    process.stdout.write(`${DEBUG_USAGE}\n`);
    return 0;
  }
  const target = targetOf(parsed);
  // What the server sends (frame names, values, the program's output) comes from the trace: made safe for the terminal here.
  const session = new Debugger({ out: (text) => process.stdout.write(terminalBlock(text)), err: (text) => process.stderr.write(terminalBlock(text)) });
  const interrupt = () => session.interrupt();
  process.on('SIGINT', interrupt);
  try {
    await session.start(target);
  } catch (error) {
    return fail(session, error);
  } finally {
    process.off('SIGINT', interrupt);
  }
  try {
    await commandLoop(session);
  } catch (error) {
    return fail(session, error);
  }
  await session.close();
  return 0;
}

/** One line on stderr, the server ended. */
async function fail(session: Debugger, error: unknown): Promise<number> {
  if (!(error instanceof Error)) throw error;
  process.stderr.write(`hindsight: ${terminalText(error.message)}\n`);
  if (!(error instanceof ServerDiedError)) await session.close();
  return EXIT_BAD_TRACE;
}

function targetOf(parsed: ParsedArgs): Target {
  const [program, ...args] = parsed.positionals;
  const trace = parsed.values.get('--trace');
  if (program === undefined) {
    const recording = RECORDING_OPTIONS.find((name) => parsed.flags.has(name) || parsed.values.has(name) || parsed.lists.has(name));
    if (recording) throw new UsageError(`hindsight debug: ${recording} is for recording a program: give prog.py or -m module`);
    if (trace !== undefined && parsed.flags.has('--last')) throw new UsageError('hindsight debug: give --trace TRACE or --last, not both');
    if (trace !== undefined) return { kind: 'attach', args: { trace: path.resolve(trace) } };
    if (parsed.flags.has('--last')) return { kind: 'attach', args: { trace: lastTrace(defaultTraceDir()) } };
    throw new UsageError("hindsight debug: give prog.py, -m module, --trace TRACE or --last (see 'hindsight debug --help')");
  }
  if (parsed.flags.has('--last')) throw new UsageError('hindsight debug: --last opens a trace; it does not go with a program');
  return { kind: 'launch', args: launchArguments(parsed, program, args, trace) };
}

/** The DAP launch arguments (adapter/launchArguments.ts) for what the command line asks. */
function launchArguments(parsed: ParsedArgs, program: string, args: string[], trace: string | undefined): LaunchArguments {
  const redact = parsed.lists.get('--redact');
  const maxEvents = intOption(parsed, '--max-events', 'hindsight debug', 1);
  const python = parsed.values.get('--python');
  let what: LaunchArguments;
  if (program === '-m') {
    const [module, ...moduleArgs] = args;
    if (!module) throw new UsageError('hindsight debug: -m needs a module name');
    what = { module, args: moduleArgs };
  } else {
    // Python would say the same, but only after the recorder started: one clear line instead.
    if (!fs.existsSync(program)) throw new UsageError(`hindsight debug: can't open file '${program}': No such file or directory`);
    what = { program: path.resolve(program), args };
  }
  return {
    ...what,
    cwd: process.cwd(),
    stopOnEntry: true,
    justMyCode: !parsed.flags.has('--all-code'),
    redact: parsed.flags.has('--no-redact') ? false : redact ?? true,
    include: parsed.lists.get('--include') ?? [],
    exclude: parsed.lists.get('--exclude') ?? [],
    ...(python === undefined ? {} : { python }),
    ...(trace === undefined ? {} : { trace: path.resolve(trace) }),
    ...(maxEvents === undefined ? {} : { maxEvents }),
  };
}
