// How an exception reads in one line, for DAP stops and LSP diagnostics alike.
import type { ExceptionInfo } from './reader';

/** "ValueError: bad value", or just the type when the message is empty. */
export function exceptionText(exception: Pick<ExceptionInfo, 'type' | 'message'>): string {
  return exception.message ? `${exception.type}: ${exception.message}` : exception.type;
}
