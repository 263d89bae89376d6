// Follows the goto request file next to the replayed trace (protocol/gotoRequest.ts): the language
// server's "go to call" lenses move this session through it. Polled (one cheap read), unref'd, so it
// works on any file system and never keeps the process alive.
import { takeGotoRequest } from '../protocol/gotoRequest';
import type { Seq } from '../protocol/schema';

const POLL_MS = 100;

/** Calls `go` with the seq of each request written for `trace` after now; returns the function that stops watching. */
export function followGotoRequests(trace: string, go: (seq: Seq) => void): () => void {
  const since = Date.now();
  const timer = setInterval(() => {
    const request = takeGotoRequest(trace);
    if (request && request.trace === trace && request.writtenAt >= since) go(request.seq);
  }, POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
