// Reporting a stop: moves the replay there (position, handles, cursor file) and builds the events that
// tell the client, in order: crossed log points, a cursor-file warning, then `stopped`.
import { OutputEvent, StoppedEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { exceptionText } from '../protocol/exceptionText';
import { render } from '../protocol/values';
import { logText } from './breakpoints/rule';
import type { Stop } from './navigator';
import type { Replay } from './replay';

export function stopEvents(replay: Replay, stop: Stop): DebugProtocol.Event[] {
  const { trace } = replay;
  const events: DebugProtocol.Event[] = stop.logs.map(({ rule, event: hit, conditionError }) => {
    const text = conditionError ?? logText(rule.message, replay.frameLookup(hit), render);
    return new OutputEvent(`${text}\n`, conditionError === undefined ? 'console' : 'stderr');
  });
  const event = replay.standAt(stop.position);
  try {
    if (event) replay.writeCursor(event);
  } catch (error) {
    events.push(new OutputEvent(`hindsight: cannot write the cursor file next to the trace (${(error as Error).message})\n`, 'console'));
  }
  const reason = stop.reason === 'end' || stop.reason === 'start' ? 'step' : stop.reason;
  const stopped = new StoppedEvent(reason, stop.position.thread) as DebugProtocol.StoppedEvent;
  stopped.body.allThreadsStopped = true;
  if (stop.reason === 'end' || stop.reason === 'start') stopped.body.description = stopped.body.text = edgeText(replay, stop, stop.reason);
  if (stop.breakpoints.length) stopped.body.hitBreakpointIds = stop.breakpoints;
  const exception = stop.reason === 'exception' && event?.arg !== null && event?.arg !== undefined ? trace.exception(event.arg) : undefined;
  if (exception) stopped.body.description = stopped.body.text = exceptionText(exception);
  events.push(stopped);
  return events;
}

/** "End of recording", or "End of thread 'name'" when a step ran off a thread that the recording outlives. */
function edgeText(replay: Replay, stop: Stop, edge: 'end' | 'start'): string {
  const what = edge === 'end' ? 'End' : 'Beginning';
  return stop.threadEdge === undefined ? `${what} of recording` : `${what} of thread '${replay.threadName(stop.threadEdge)}'`;
}
