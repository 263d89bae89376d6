// The cursor sidecar `<trace>.cursor.json`: where the DAP session stands, written atomically on every
// stop so the language server (another process, maybe another client) can follow it.
import * as fs from 'node:fs';
import type { InvocationId, Seq, ThreadId } from './schema';

export interface CursorRecord {
  /** The trace's absolute path. */
  trace: string;
  seq: Seq;
  thread: ThreadId;
  /** The invocation of the top frame at seq (the frame the user sees first). */
  invocation: InvocationId;
  /** Unix milliseconds of the write, so a watcher can order records. */
  writtenAt: number;
}

export function cursorPath(trace: string): string {
  return `${trace}.cursor.json`;
}

/** Writes the record next to its trace: a temporary file (0600) renamed over the old one. */
export function writeCursor(record: CursorRecord): void {
  const target = cursorPath(record.trace);
  const temporary = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, target);
}

/** The record next to a trace, or undefined when there is none or it is unreadable. */
export function readCursor(trace: string): CursorRecord | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(cursorPath(trace), 'utf8')) as Partial<CursorRecord>;
    const numbers = [parsed.seq, parsed.thread, parsed.invocation, parsed.writtenAt];
    if (typeof parsed.trace !== 'string' || !numbers.every((n) => typeof n === 'number')) return undefined;
    return parsed as CursorRecord;
  } catch {
    return undefined;
  }
}

/** Removes the record next to its trace if it is still this one (another session may have written since). */
export function removeCursor(record: CursorRecord): void {
  const current = readCursor(record.trace);
  if (current?.writtenAt === record.writtenAt && current.seq === record.seq) fs.rmSync(cursorPath(record.trace), { force: true });
}
