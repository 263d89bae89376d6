// The status bar's words, pure: recording progress from the adapter's progress events, then the
// replay's position from positionInfo.
import type { PositionInfoResponseBody } from '../../../../protocol/requests';
import { traceStatusWarning } from '../../../../protocol/traceStatus';

export interface StatusText {
  text: string;
  tooltip: string;
}

/** progressStart's title ("Recording prog.py") and the latest progressUpdate's message ("N events"). */
export function recordingStatus(title: string, message: string | undefined): StatusText {
  return { text: `$(record) ${title}: ${message ?? '0 events'}`, tooltip: 'Hindsight is recording the program' };
}

export function positionStatus(info: PositionInfoResponseBody): StatusText {
  const warning = traceStatusWarning({ status: info.status, endReason: info.statusReason });
  const where = `event ${info.seq} of ${info.totalEvents}, thread ${info.threadName}`;
  return {
    text: `$(history) position ${info.seq} / ${info.totalEvents}${info.status === 'complete' ? '' : ` (${info.status})`}`,
    tooltip: `${where}${warning ? `; ${warning}` : ''}. Click to go to a position.`,
  };
}
