// The cursor sidecar `<trace>.cursor.json`: where the DAP session stands, written atomically on every
// stop so the language server (another process, maybe another client) can follow it.
import * as fs from 'node:fs';
import { parseJson, writeJsonAtomically } from './jsonFile';
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
  writeJsonAtomically(cursorPath(record.trace), record);
}

/** The record next to a trace, or undefined when there is none or it is unreadable. */
export function readCursor(trace: string): CursorRecord | undefined {
  let text: string;
  try {
    text = fs.readFileSync(cursorPath(trace), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = (parseJson(text) ?? {}) as Partial<CursorRecord>;
  const numbers = [parsed.seq, parsed.thread, parsed.invocation, parsed.writtenAt];
  if (typeof parsed.trace !== 'string' || !numbers.every((n) => typeof n === 'number')) return undefined;
  return parsed as CursorRecord;
}

/** Removes the record next to its trace if it is still this one (another session may have written since). */
export function removeCursor(record: CursorRecord): void {
  const current = readCursor(record.trace);
  if (current?.writtenAt === record.writtenAt && current.seq === record.seq) fs.rmSync(cursorPath(record.trace), { force: true });
}
