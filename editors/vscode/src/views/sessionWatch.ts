// Watches the messages of every `hindsight` debug session (a DebugAdapterTracker) and tells the views
// what happened: recording progress, each stop, changed breakpoints, the session's end.
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';

export interface Progress {
  session: vscode.DebugSession;
  title: string;
  message: string | undefined;
}

export class SessionWatch implements vscode.Disposable {
  private readonly progress = new vscode.EventEmitter<Progress>();
  private readonly stopped = new vscode.EventEmitter<vscode.DebugSession>();
  private readonly breakpoints = new vscode.EventEmitter<vscode.DebugSession>();
  private readonly ended = new vscode.EventEmitter<vscode.DebugSession>();
  /** Recording progress, while the program runs. */
  readonly onProgress = this.progress.event;
  /** Every stop (the adapter's `stopped` event), the first one included. */
  readonly onStopped = this.stopped.event;
  /** The session's line breakpoints changed (the timeline counts their hits). */
  readonly onBreakpoints = this.breakpoints.event;
  readonly onEnded = this.ended.event;
  private readonly registrations: vscode.Disposable[];

  constructor() {
    this.registrations = [
      vscode.debug.registerDebugAdapterTrackerFactory('hindsight', { createDebugAdapterTracker: (session) => this.tracker(session) }),
      vscode.debug.onDidTerminateDebugSession((session) => {
        if (session.type === 'hindsight') this.ended.fire(session);
      }),
    ];
  }

  dispose(): void {
    for (const disposable of [...this.registrations, this.progress, this.stopped, this.breakpoints, this.ended]) disposable.dispose();
  }

  private tracker(session: vscode.DebugSession): vscode.DebugAdapterTracker {
    let title = '';
    return {
      onDidSendMessage: (message: DebugProtocol.ProtocolMessage) => {
        if (message.type === 'event') {
          const { event, body } = message as DebugProtocol.Event;
          if (event === 'progressStart') {
            title = (body as DebugProtocol.ProgressStartEvent['body']).title;
            this.progress.fire({ session, title, message: undefined });
          } else if (event === 'progressUpdate' || event === 'progressEnd') {
            // An update says "N events"; the end "N events recorded" or "not recorded".
            this.progress.fire({ session, title, message: (body as DebugProtocol.ProgressUpdateEvent['body']).message });
          } else if (event === 'stopped') {
            this.stopped.fire(session);
          }
        } else if (message.type === 'response') {
          const { command, success } = message as DebugProtocol.Response;
          if (success && command === 'setBreakpoints') this.breakpoints.fire(session);
        }
      },
    };
  }
}
