// Hindsight's custom DAP requests: the contract between `hindsight dap` and any client (editors/,
// scripts). A client sends them like standard requests (VS Code: `session.customRequest(name, args)`).
import type { DebugProtocol } from '@vscode/debugprotocol';

/** The names of the custom requests, as sent in a request's `command`. */
export const CustomRequest = {
  /** Reverse step in: the previous stop point of the thread, whichever frame it is in. */
  reverseStepIn: 'reverseStepIn',
  /** Reverse step out: the caller's line that made the call to the current frame. */
  reverseStepOut: 'reverseStepOut',
} as const;

/** Arguments of reverseStepIn and reverseStepOut (as DAP's stepBack). */
export type ReverseStepArguments = DebugProtocol.StepBackArguments;
