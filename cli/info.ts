// `hindsight info [TRACE|--last]`: what a trace holds (the run's meta facts and counts); --json
// prints the reader's summary plus every meta key.
import * as fs from 'node:fs';
import type { TraceSummary } from '../protocol/reader';
import { displayPath } from '../protocol/traceDir';
import { parseArgs } from './args';
import { UsageError } from './errors';
import { formatBytes, formatDate, formatDuration, table } from './format';
import { readPickedTrace } from './pickTrace';

export const INFO_USAGE = `usage: hindsight info [TRACE | --last] [--json]

Shows what a trace holds; without TRACE, the newest trace in .hindsight/.`;

export async function info(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv, { flags: ['--json', '--last', '--help'] }, 'hindsight info');
  if (parsed.flags.has('--help')) {
    process.stdout.write(`${INFO_USAGE}\n`);
    return 0;
  }
  if (parsed.positionals.length > 1) throw new UsageError('hindsight info: give at most one trace');
  const text = await readPickedTrace(parsed.positionals[0], parsed.flags.has('--last'), 'hindsight info', (trace) => {
    const summary = trace.summary();
    const meta = Object.fromEntries([...trace.meta()].map(([key, value]) => [key, value instanceof Uint8Array ? null : value]));
    return parsed.flags.has('--json') ? JSON.stringify({ ...summary, backend: trace.backendName, meta }, null, 2) : table(infoRows(summary));
  });
  process.stdout.write(`${text}\n`);
  return 0;
}

function infoRows(s: TraceSummary): string[][] {
  const rows: string[][] = [
    ['trace', `${displayPath(s.path)} (${formatBytes(fs.statSync(s.path).size)})`],
    ['program', s.program ?? '?'],
    ['arguments', JSON.stringify(s.argv.slice(1))],
    ['cwd', s.cwd ?? '?'],
    ['status', `${s.status}${s.endReason ? `: ${s.endReason}` : ''}`],
  ];
  if (s.startedAt !== null) {
    const took = s.endedAt !== null ? `, ran ${formatDuration(s.endedAt - s.startedAt)}` : '';
    rows.push(['recorded', `${formatDate(s.startedAt)}${took}`]);
  }
  rows.push(
    ['python', `${s.pythonVersion ?? '?'}${s.pythonExecutable ? ` (${s.pythonExecutable})` : ''}`],
    ['tracer', `${s.tracer ?? '?'}${s.tracerReason ? ` (${s.tracerReason})` : ''}`],
    ['exit', s.exitSignal !== null ? `signal ${s.exitSignal}` : s.exitCode !== null ? `code ${s.exitCode}` : 'none recorded'],
    ['events', s.events.toLocaleString('en-US') + (s.truncated ? ` (truncated at --max-events ${s.maxEvents})` : '')],
    ['invocations', s.invocations.toLocaleString('en-US')],
    ['exceptions', `${s.exceptions.toLocaleString('en-US')} (${s.uncaughtExceptions} uncaught)`],
    ['threads', String(s.threads)],
    ['files', String(s.files)],
  );
  return rows;
}
