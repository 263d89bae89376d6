// The goto request `<trace>.goto.json`: the language server asks a debug session replaying the trace to
// move to an event (a "go to call" lens). The reverse of cursor.ts: written atomically (0600) by the
// asker, taken (read and removed) by the session, so a removed file means a session acted on it.
import * as fs from 'node:fs';
import { parseJson, writeJsonAtomically } from './jsonFile';
import type { Seq } from './schema';

export interface GotoRequest {
  /** The trace's absolute path. */
  trace: string;
  /** The event to go to (the session stops at the nearest stop point at or after it, in its thread). */
  seq: Seq;
  /** Unix milliseconds of the write: a session ignores requests written before it started. */
  writtenAt: number;
}

export function gotoRequestPath(trace: string): string {
  return `${trace}.goto.json`;
}

/** Writes the request next to its trace: a temporary file (0600) renamed over any older request. */
export function writeGotoRequest(request: GotoRequest): void {
  writeJsonAtomically(gotoRequestPath(request.trace), request);
}

/** Reads and removes the request next to a trace; undefined when there is none (an unreadable one is removed too). */
export function takeGotoRequest(trace: string): GotoRequest | undefined {
  const file = gotoRequestPath(trace);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  fs.rmSync(file, { force: true });
  const parsed = (parseJson(text) ?? {}) as Partial<GotoRequest>;
  if (typeof parsed.trace !== 'string' || typeof parsed.seq !== 'number' || typeof parsed.writtenAt !== 'number') return undefined;
  return parsed as GotoRequest;
}

/** True while a request written next to the trace has not been taken. */
export function gotoRequestPending(trace: string): boolean {
  return fs.existsSync(gotoRequestPath(trace));
}

/** Withdraws a request nobody took. */
export function withdrawGotoRequest(trace: string): void {
  fs.rmSync(gotoRequestPath(trace), { force: true });
}
