// `hindsight clean [--keep N] [--all]`: deletes old traces from .hindsight/, keeping the newest N
// (default $HINDSIGHT_KEEP, else 20), or all of them with --all.
import { defaultTraceDir, displayPath, pruneTraces } from '../protocol/traceDir';
import { intOption, parseArgs, parseCount } from './args';
import { UsageError } from './errors';
import { formatBytes, plural } from './format';

export const DEFAULT_KEEP = 20;

export const CLEAN_USAGE = `usage: hindsight clean [--keep N | --all]

Deletes traces from .hindsight/ but the newest N (default: $HINDSIGHT_KEEP, else 20); --all deletes them all.`;

export async function clean(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv, { flags: ['--all', '--help'], values: ['--keep'] }, 'hindsight clean');
  if (parsed.flags.has('--help')) {
    process.stdout.write(`${CLEAN_USAGE}\n`);
    return 0;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`hindsight clean: unexpected argument '${parsed.positionals[0]}'`);
  const keepOption = intOption(parsed, '--keep', 'hindsight clean', 0);
  if (parsed.flags.has('--all') && keepOption !== undefined) throw new UsageError('hindsight clean: give --keep N or --all, not both');
  const keep = parsed.flags.has('--all') ? 0 : keepCount(keepOption);
  const dir = defaultTraceDir();
  const removed = pruneTraces(dir, keep);
  const bytes = removed.reduce((sum, trace) => sum + trace.size, 0);
  process.stdout.write(`removed ${plural(removed.length, 'trace')} (${formatBytes(bytes)}) from ${displayPath(dir)}\n`);
  return 0;
}

/** How many traces to keep (here and after `hindsight record`): --keep N, else HINDSIGHT_KEEP, else 20. */
export function keepCount(option: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  if (option !== undefined) return option;
  const fromEnv = env.HINDSIGHT_KEEP;
  if (fromEnv === undefined || fromEnv === '') return DEFAULT_KEEP;
  return parseCount(fromEnv, 'HINDSIGHT_KEEP', 1);
}
