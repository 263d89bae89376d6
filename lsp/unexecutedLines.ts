// Which statements of a recorded file never ran in a complete recording. The trace knows which lines ran
// (line_stats), not which hold code: the recorded source is scanned for statements, and only those sure to
// give a LINE event when they run count; doubtful ones (else:, try:, def lines, docstrings...) never fade.
import type { SourceFile, Trace } from '../protocol/reader';
import { pythonStatements } from './pythonStatements';

/** A statement that never ran: its first and last line in the recorded source. */
export interface UnexecutedStatement {
  start: number;
  end: number;
}

/**
 * Statements that start lines of their own yet may run without a LINE event on them (CPython emits
 * no instruction, or one whose line varies by version), or that are not code: never faded.
 */
const DOUBTFUL = [
  /^(else|try|finally|except|global|nonlocal|pass|break|continue|match|case|def|class|async\s+def)\b/,
  /^@/,
  /^[rRbBuUfFtT]{0,2}['"]/,
  /^\.\.\.$/,
  /^while\s+(True|1)\s*:/,
  /^[A-Za-z_][\w.]*\s*:(?!=)/,
];

/**
 * Statements of the file with no LINE event on any of their lines. Empty unless the recording is
 * complete (a truncated or interrupted one stopped before the program did), recorded all code of the
 * files it recorded (no --include/--exclude patterns, which can leave functions of a file out) and
 * the file's module code ran while recorded (else nothing is known of its top level); empty too when
 * the source does not scan.
 */
export function unexecutedStatements(trace: Trace, file: SourceFile): UnexecutedStatement[] {
  const meta = trace.meta();
  if (meta.get('status') !== 'complete' || meta.get('include') !== '[]' || meta.get('exclude') !== '[]') return [];
  if (!trace.codeStats(file.id).some((stats) => stats.code.kind === 'module')) return [];
  const source = trace.source(file.id);
  const statements = source === null ? undefined : pythonStatements(source);
  if (!statements) return [];
  const ran = new Set(trace.lineStats(file.id).map((stats) => stats.line));
  return statements
    .filter((statement) => !DOUBTFUL.some((pattern) => pattern.test(statement.code)))
    .filter((statement) => !lines(statement).some((line) => ran.has(line)))
    .map(({ start, end }) => ({ start, end }));
}

function lines(statement: UnexecutedStatement): number[] {
  return Array.from({ length: statement.end - statement.start + 1 }, (_, index) => statement.start + index);
}
