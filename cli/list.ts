// `hindsight list [DIR]`: the traces in .hindsight/ (or DIR), newest first, with program, status,
// events, size and date; --json for scripts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Trace, type TraceSummary } from '../protocol/reader';
import { defaultTraceDir, displayPath, listTraces, type TraceFile } from '../protocol/traceDir';
import { parseArgs } from './args';
import { UsageError } from './errors';
import { formatBytes, formatDate, table } from './format';
import { terminalLine } from './terminalText';

export const LIST_USAGE = `usage: hindsight list [DIR] [--json]

Lists the traces in DIR (default .hindsight/), newest first.`;

interface Listed {
  path: string;
  size: number;
  date: number;
  program: string | null;
  status: string;
  events: number | null;
  /** Why the file could not be read, when it could not. */
  error?: string;
}

export async function list(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv, { flags: ['--json', '--help'] }, 'hindsight list');
  if (parsed.flags.has('--help')) {
    process.stdout.write(`${LIST_USAGE}\n`);
    return 0;
  }
  if (parsed.positionals.length > 1) throw new UsageError('hindsight list: give at most one folder');
  const given = parsed.positionals[0];
  const dir = given === undefined ? defaultTraceDir() : path.resolve(given);
  if (fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() === false) {
    throw new UsageError(`hindsight list: '${given}' is not a folder; give the folder of the traces (see 'hindsight info TRACE' for one trace)`);
  }
  const traces: Listed[] = [];
  for (const file of listTraces(dir)) traces.push(await describe(file));
  if (parsed.flags.has('--json')) {
    process.stdout.write(`${JSON.stringify(traces, null, 2)}\n`);
  } else if (traces.length === 0) {
    process.stdout.write(`${terminalLine`no traces in ${displayPath(dir)}`}\n`);
  } else {
    const rows = traces.map((t) => [
      formatDate(t.date), t.program ?? '?', t.error ? 'unreadable' : t.status, t.events === null ? '?' : t.events.toLocaleString('en-US'),
      formatBytes(t.size), displayPath(t.path),
    ]);
    process.stdout.write(`${table([['DATE', 'PROGRAM', 'STATUS', 'EVENTS', 'SIZE', 'TRACE'], ...rows])}\n`);
  }
  return 0;
}

async function describe(file: TraceFile): Promise<Listed> {
  let summary: TraceSummary;
  try {
    const trace = await Trace.open(file.path);
    summary = trace.summary();
    trace.close();
  } catch (error) {
    return { path: file.path, size: file.size, date: file.mtimeMs, program: null, status: 'unreadable', events: null, error: (error as Error).message };
  }
  return {
    path: file.path,
    size: file.size,
    date: summary.startedAt ?? file.mtimeMs,
    program: summary.program,
    status: summary.status,
    events: summary.events,
  };
}
