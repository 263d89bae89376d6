// The server's settings, from initializationOptions or workspace/didChangeConfiguration, under
// `hindsight` (or at the top level): unknown or ill-typed values fall back to the defaults.
export interface Settings {
  /** A trace file to read instead of the newest under .hindsight/. */
  trace: string | undefined;
  /** Call counts as inlay hints on def lines: true, false, or undefined (when the client has no CodeLens). */
  callCountHints: boolean | undefined;
}

export function readSettings(raw: unknown): Settings {
  const section = pick(raw, 'hindsight') ?? raw;
  const trace = pick(section, 'trace');
  const callCountHints = pick(section, 'callCountHints');
  return {
    trace: typeof trace === 'string' && trace ? trace : undefined,
    callCountHints: typeof callCountHints === 'boolean' ? callCountHints : undefined,
  };
}

function pick(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
