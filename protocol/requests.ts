// Hindsight's custom DAP requests: the contract between `hindsight dap` and any client (editors/,
// scripts). A client sends them like standard requests (VS Code: `session.customRequest(name, args)`).
import type { DebugProtocol } from '@vscode/debugprotocol';

/** The names of the custom requests, as sent in a request's `command`. */
export const CustomRequest = {
  /** Reverse step in: the previous stop point of the thread, whichever frame it is in. */
  reverseStepIn: 'reverseStepIn',
  /** Reverse step out: the caller's line that made the call to the current frame. */
  reverseStepOut: 'reverseStepOut',
  /** Go to a position: the nearest stop point at or after event `seq` (of `threadId` when given). */
  gotoPosition: 'gotoPosition',
} as const;

/** Arguments of reverseStepIn and reverseStepOut (as DAP's stepBack). */
export type ReverseStepArguments = DebugProtocol.StepBackArguments;

/** Arguments of gotoPosition. The stop that follows has reason 'goto'. */
export interface GotoPositionArguments {
  /** An event of the trace (1 to the last seq), as `:where` shows it. */
  seq: number;
  /** Follow this thread: its nearest stop point at or after seq. Default: the thread of event seq. */
  threadId?: number;
}
