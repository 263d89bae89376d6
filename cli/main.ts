// The `hindsight` command line: picks the command (one file each under cli/), and turns every
// failure into one line on stderr with exit code 2 (usage) or 1 (an unreadable trace, nothing found).
import { BackendChoiceError, TraceOpenError } from '../protocol/reader';
import { SCHEMA_VERSION } from '../protocol/schema';
import packageJson from '../package.json';
import { dap, DAP_USAGE } from '../adapter/main';
import { lsp, LSP_USAGE } from '../lsp/main';
import { clean, CLEAN_USAGE } from './clean';
import { debug, DEBUG_USAGE } from './debug';
import { EXIT_BAD_TRACE, EXIT_USAGE, NotFoundError, TraceReadError, UsageError } from './errors';
import { info, INFO_USAGE } from './info';
import { list, LIST_USAGE } from './list';
import { query, QUERY_USAGE } from './query';
import { record, RECORD_USAGE } from './record';
import { terminalBlock, terminalText } from './terminalText';

const COMMANDS: Record<string, { run: (argv: readonly string[]) => Promise<number>; usage: string }> = {
  record: { run: record, usage: RECORD_USAGE },
  list: { run: list, usage: LIST_USAGE },
  info: { run: info, usage: INFO_USAGE },
  query: { run: query, usage: QUERY_USAGE },
  clean: { run: clean, usage: CLEAN_USAGE },
  debug: { run: debug, usage: DEBUG_USAGE },
  dap: { run: dap, usage: DAP_USAGE },
  lsp: { run: lsp, usage: LSP_USAGE },
};

const USAGE = `usage: hindsight COMMAND [options]

Hindsight records a Python program's run into a trace, then lets you travel through it.

commands:
  record [options] (prog.py | -m module) [args…]   record a run into .hindsight/
  list [DIR]                                       the traces recorded here, newest first
  info [TRACE | --last]                            what a trace holds
  query [TRACE | --last] KIND …                    events, stack, history, calls, exceptions, output
  clean [--keep N | --all]                         delete old traces
  debug [options] (prog.py | -m module) [args…]    record, then debug forwards and backwards (pdb's commands)
  debug (--trace TRACE | --last)                   debug a trace recorded before
  dap [--port N]                                   a Debug Adapter Protocol server (stdio or 127.0.0.1:N)
  lsp --stdio                                      a Language Server Protocol server over the newest trace

'hindsight COMMAND --help' describes a command. Reading commands default to the newest trace and
take --json for scripts.`;

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    const usage = rest[0] !== undefined ? COMMANDS[rest[0]]?.usage : undefined;
    process.stdout.write(`${usage ?? USAGE}\n`);
    return 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`hindsight ${packageJson.version} (trace schema ${SCHEMA_VERSION})\n`);
    return 0;
  }
  try {
    if (name === undefined) throw new UsageError(`hindsight: give a command\n${USAGE}`);
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`hindsight: unknown command '${name}' (see 'hindsight --help')`);
    return await command.run(rest);
  } catch (error) {
    return report(error);
  }
}

function report(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`${terminalBlock(error.message)}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof BackendChoiceError) {
    process.stderr.write(`hindsight: ${terminalText(error.message)}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof TraceOpenError || error instanceof TraceReadError || error instanceof NotFoundError) {
    process.stderr.write(`hindsight: ${terminalText(error.message)}\n`);
    return EXIT_BAD_TRACE;
  }
  // A bug of ours still reads as one line: a stack trace is no message for users.
  process.stderr.write(`hindsight: internal error: ${terminalText(error instanceof Error ? error.message : String(error))}; please report it with the command that showed it\n`);
  return EXIT_BAD_TRACE;
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
