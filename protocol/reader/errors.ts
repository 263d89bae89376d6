// The reader's errors for users: TraceOpenError (a file that is not, or cannot be made, a readable
// trace of this schema version) and BackendChoiceError (HINDSIGHT_SQLITE asks for what cannot run).
export class TraceOpenError extends Error {
  constructor(readonly path: string, sentence: string) {
    super(`Cannot open trace ${path}: ${sentence}.`);
    this.name = 'TraceOpenError';
  }
}

/** The trace must be changed before it can be read (journal rollback, finishing), and cannot be. */
export function notWritable(path: string, why: string, error: unknown): TraceOpenError {
  const reason = error instanceof Error ? error.message : String(error);
  return new TraceOpenError(path, `${why}, which needs write access to the file and its folder (${reason})`);
}

/** HINDSIGHT_SQLITE names no backend, or one this Node lacks. */
export class BackendChoiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendChoiceError';
  }
}
