// The one sentence that says a trace is not whole (truncated, incomplete, still being written), for
// the DAP console, the language server's message and the editors' views (from positionInfo) alike.
import type { PositionInfoResponseBody } from './requests';

/** A trace's summary (Trace.summary()) or positionInfo's status and statusReason. */
export interface TraceStatusSummary {
  status: PositionInfoResponseBody['status'];
  endReason: string | null;
}

/** "this trace is truncated (reason); it ends at its last recorded event"; undefined when complete. */
export function traceStatusWarning({ status, endReason }: TraceStatusSummary): string | undefined {
  if (status === 'complete') return undefined;
  const what = { truncated: 'truncated', incomplete: 'incomplete', recording: 'still being recorded' }[status];
  return `this trace is ${what}${endReason ? ` (${endReason})` : ''}; it ends at its last recorded event`;
}
