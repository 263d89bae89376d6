// The one sentence that says a trace is not whole (truncated, incomplete, still being written), for
// the DAP console and the language server's message alike.
import type { Trace } from './reader';

/** "this trace is truncated (reason); it ends at its last recorded event"; undefined when complete. */
export function traceStatusWarning(trace: Trace): string | undefined {
  const { status, endReason } = trace.summary();
  if (status === 'complete') return undefined;
  const what = { truncated: 'truncated', incomplete: 'incomplete', recording: 'still being recorded' }[status];
  return `this trace is ${what}${endReason ? ` (${endReason})` : ''}; it ends at its last recorded event`;
}
