// Moves a session to an event (the adapter's gotoPosition; its `stopped` event refreshes the views).
import * as vscode from 'vscode';
import type { GotoPositionArguments } from '../../../../protocol/requests';

export function goTo(session: vscode.DebugSession, seq: number): void {
  const args: GotoPositionArguments = { seq };
  session.customRequest('gotoPosition', args).then(undefined, (error: Error) =>
    void vscode.window.showErrorMessage(`Hindsight could not go to event ${seq}: ${error.message}`));
}
