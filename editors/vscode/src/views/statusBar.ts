// The status bar item: "Recording prog.py: N events" while a Hindsight session records, then
// "position N / total" at each stop (positionInfo); a click goes to another position.
import * as vscode from 'vscode';
import type { PositionInfoResponseBody } from '../../../../protocol/requests';
import type { Progress } from './sessionWatch';
import { positionStatus, recordingStatus, type StatusText } from './statusText';

export const STATUS_GO_TO = 'hindsight.goToPosition';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hindsight.position', vscode.StatusBarAlignment.Left, 10);
  private session: vscode.DebugSession | undefined;
  /** Drops a positionInfo answer that a later stop overtook. */
  private generation = 0;

  constructor() {
    this.item.name = 'Hindsight position';
  }

  dispose(): void {
    this.item.dispose();
  }

  recording(progress: Progress): void {
    this.session = progress.session;
    this.item.command = undefined;
    this.set(recordingStatus(progress.title, progress.message));
  }

  async stopped(session: vscode.DebugSession): Promise<void> {
    this.session = session;
    const generation = ++this.generation;
    try {
      const info = await session.customRequest('positionInfo', {}) as PositionInfoResponseBody;
      if (generation !== this.generation) return;
      this.item.command = { command: STATUS_GO_TO, title: 'Go to a position', arguments: [session, info.totalEvents] };
      this.set(positionStatus(info));
    } catch (error) {
      if (generation === this.generation) this.set({ text: '$(history) position unknown', tooltip: (error as Error).message });
    }
  }

  clear(session: vscode.DebugSession): void {
    if (session !== this.session) return;
    this.session = undefined;
    this.generation++;
    this.item.hide();
  }

  private set(status: StatusText): void {
    this.item.text = status.text;
    this.item.tooltip = status.tooltip;
    this.item.show();
  }
}
