// How the CLI fails: a UsageError (bad command line or environment, exit 2), a trace that cannot be
// opened (TraceOpenError from protocol/reader) or read (TraceReadError), or a NotFoundError (exit 1);
// each is one line on stderr; fileSystemReason says in words why a file operation failed.
export const EXIT_USAGE = 2;
export const EXIT_BAD_TRACE = 1;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What was asked for is not there: no trace for --last, no such function or seq in the trace. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** The trace opened, but reading it failed (rows the reader cannot make sense of). */
export class TraceReadError extends Error {
  constructor(path: string, cause: unknown) {
    super(`Cannot read trace ${path}: ${cause instanceof Error ? cause.message : String(cause)}; the trace is damaged (record the program again).`);
    this.name = 'TraceReadError';
  }
}

const FILE_SYSTEM_REASONS: Record<string, string> = {
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOSPC: 'no space is left on the device',
  ENOTDIR: 'a part of the path is not a folder',
  ENOENT: 'no such folder',
};

/** Why a file operation failed, in words ('the file system is read-only'), from its error code. */
export function fileSystemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return FILE_SYSTEM_REASONS[code] ?? (code || String(error));
}
