// `hindsight query [TRACE|--last] KIND …`: answers one question about a trace (events around a seq,
// the stack at a seq, a variable's history, a function's calls, exceptions, output) as text or --json.
import type { Trace } from '../protocol/reader';
import { intOption, parseArgs, type ParsedArgs } from './args';
import { UsageError } from './errors';
import { readPickedTrace } from './pickTrace';
import { callsReport, eventsReport, exceptionsReport, historyReport, outputReport, stackReport, type Report } from './queryReports';

export const QUERY_USAGE = `usage: hindsight query [TRACE | --last] KIND [--json]

Without TRACE, the newest trace in .hindsight/. KIND is one of:
  events --at SEQ [--around K]         the events from SEQ-K to SEQ+K (K defaults to 5)
  stack --at SEQ                       the stack at SEQ, innermost frame first, with each frame's variables
  history NAME [--function QUALNAME]   every change of variable NAME (in QUALNAME only, if given)
  calls QUALNAME                       the calls of a function: arguments, result, time
  exceptions                           the exceptions raised, where, and where they ended
  output [--at SEQ]                    what the program printed (up to SEQ)
  --limit N                            at most N rows for history, calls and exceptions (default 100)`;

const KINDS = ['events', 'stack', 'history', 'calls', 'exceptions', 'output'] as const;
type Kind = (typeof KINDS)[number];

const SPEC = { flags: ['--json', '--last', '--help'], values: ['--at', '--around', '--function', '--limit'] };
const COMMAND = 'hindsight query';

export async function query(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv, SPEC, COMMAND);
  if (parsed.flags.has('--help')) {
    process.stdout.write(`${QUERY_USAGE}\n`);
    return 0;
  }
  const [first, ...rest] = parsed.positionals;
  const traceGiven = first !== undefined && !isKind(first);
  const [kind, ...args] = traceGiven ? rest : parsed.positionals;
  if (kind === undefined) throw new UsageError(`${COMMAND}: say what to query: ${KINDS.join(', ')}`);
  if (!isKind(kind)) throw new UsageError(`${COMMAND}: unknown query '${kind}' (one of ${KINDS.join(', ')})`);
  const needsArg = kind === 'history' || kind === 'calls';
  if (needsArg && args.length !== 1) throw new UsageError(`${COMMAND} ${kind}: give one ${kind === 'history' ? 'variable name' : 'function (qualified name)'}`);
  if (!needsArg && args.length > 0) throw new UsageError(`${COMMAND} ${kind}: unexpected argument '${args[0]}'`);
  const text = await readPickedTrace(traceGiven ? first : undefined, parsed.flags.has('--last'), COMMAND, (trace) => {
    const report = run(trace, kind, args[0] ?? '', parsed);
    return parsed.flags.has('--json') ? `${JSON.stringify(report.json, null, 2)}\n` : report.text;
  });
  process.stdout.write(text);
  return 0;
}

function run(trace: Trace, kind: Kind, arg: string, parsed: ParsedArgs): Report {
  const limit = intOption(parsed, '--limit', COMMAND, 1) ?? 100;
  switch (kind) {
    case 'events':
      return eventsReport(trace, requiredSeq(parsed, kind), intOption(parsed, '--around', COMMAND, 0) ?? 5);
    case 'stack':
      return stackReport(trace, requiredSeq(parsed, kind));
    case 'history':
      return historyReport(trace, arg, parsed.values.get('--function'), limit);
    case 'calls':
      return callsReport(trace, arg, limit);
    case 'exceptions':
      return exceptionsReport(trace, limit);
    case 'output':
      return outputReport(trace, intOption(parsed, '--at', COMMAND, 1) ?? trace.lastSeq());
  }
}

function requiredSeq(parsed: ParsedArgs, kind: Kind): number {
  const seq = intOption(parsed, '--at', COMMAND, 1);
  if (seq === undefined) throw new UsageError(`${COMMAND} ${kind}: --at SEQ is required`);
  return seq;
}

function isKind(value: string): value is Kind {
  return (KINDS as readonly string[]).includes(value);
}
