// The Hindsight debug session the user is looking at, and the thread stopped in it: what the reverse
// step and go-to commands act on.
import * as vscode from 'vscode';

export function hindsightSession(): vscode.DebugSession | undefined {
  const session = vscode.debug.activeDebugSession;
  return session?.type === 'hindsight' ? session : undefined;
}

/** The thread of the stack item selected in the Call Stack view (VS Code focuses the stopped one). */
export function focusedThread(session: vscode.DebugSession): number | undefined {
  const item = vscode.debug.activeStackItem;
  return item && item.session.id === session.id ? item.threadId : undefined;
}
