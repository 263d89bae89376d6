// Small JSON files next to a trace (the cursor, goto requests), shared by separate processes: written
// atomically and user-only, read as `unknown` for the caller to check field by field.
import * as fs from 'node:fs';

/** Writes `value` as JSON to a temporary file (0600) renamed over `file`, so a reader sees all or nothing. */
export function writeJsonAtomically(file: string, value: unknown): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(value)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/** The parsed JSON of `text`, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
