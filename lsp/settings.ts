// The server's settings, from initializationOptions or workspace/didChangeConfiguration, under
// `hindsight` (or at the top level): unknown or ill-typed values fall back to the defaults.
export interface Settings {
  /** A trace file to read instead of the newest under .hindsight/. */
  trace: string | undefined;
  /** Call counts as inlay hints on def lines: true, false, or undefined (when the client has no CodeLens). */
  callCountHints: boolean | undefined;
  /** Values at the stop as inlay hints: true, false, or undefined (when the client has no inline values). */
  valueHints: boolean | undefined;
  /** Inlay hints with how many times each line ran in the recording (default off). */
  lineHitHints: boolean;
  /** Fade lines of recorded files that never ran (diagnostics with the Unnecessary tag). Default true. */
  fadeUnexecuted: boolean;
  /** Show handled exceptions as Information diagnostics where they were raised. Default true. */
  handledExceptions: boolean;
}

export function readSettings(raw: unknown): Settings {
  const section = pick(raw, 'hindsight') ?? raw;
  const trace = pick(section, 'trace');
  const callCountHints = pick(section, 'callCountHints');
  const valueHints = pick(section, 'valueHints');
  const lineHitHints = pick(section, 'lineHitHints');
  const fadeUnexecuted = pick(section, 'fadeUnexecuted');
  const handledExceptions = pick(section, 'handledExceptions');
  return {
    trace: typeof trace === 'string' && trace ? trace : undefined,
    callCountHints: typeof callCountHints === 'boolean' ? callCountHints : undefined,
    valueHints: typeof valueHints === 'boolean' ? valueHints : undefined,
    lineHitHints: lineHitHints === true,
    fadeUnexecuted: typeof fadeUnexecuted === 'boolean' ? fadeUnexecuted : true,
    handledExceptions: typeof handledExceptions === 'boolean' ? handledExceptions : true,
  };
}

function pick(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
