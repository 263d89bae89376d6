// The views of the extension, wired in one call: the timeline, the call tree, the variable history
// and the status bar item, all fed by the SessionWatch of hindsight debug sessions.
import * as vscode from 'vscode';
import type { PositionInfoResponseBody } from '../../../../protocol/requests';
import { hindsightSession } from '../session';
import { CALL_TREE_VIEW, CallTreeView, GO_TO_CALL } from './callTreeView';
import { goTo } from './goTo';
import { HistoryView, type VariableContext } from './historyView';
import { SessionWatch } from './sessionWatch';
import { STATUS_GO_TO, StatusBar } from './statusBar';
import { TIMELINE_VIEW, TimelineView } from './timelineView';

export const SHOW_HISTORY = 'hindsight.showValueHistory';

export function registerViews(context: vscode.ExtensionContext): void {
  const watch = new SessionWatch();
  const timeline = new TimelineView(context.extensionUri);
  const callTree = new CallTreeView();
  const history = new HistoryView(context.extensionUri);
  const status = new StatusBar();
  context.subscriptions.push(
    watch,
    status,
    vscode.window.registerWebviewViewProvider(TIMELINE_VIEW, timeline),
    vscode.window.createTreeView(CALL_TREE_VIEW, { treeDataProvider: callTree, showCollapseAll: true }),
    watch.onProgress((progress) => status.recording(progress)),
    watch.onStopped((session) => {
      void timeline.refresh(session);
      callTree.show(session);
      void history.refresh(session);
      void status.stopped(session);
    }),
    watch.onBreakpoints((session) => {
      // Before the first stop there is no trace to ask about yet; the stop refreshes.
      if (timeline.showing(session)) void timeline.refresh(session);
    }),
    watch.onEnded((session) => {
      timeline.clear(session);
      callTree.clear(session);
      history.clear(session);
      status.clear(session);
    }),
    vscode.commands.registerCommand(GO_TO_CALL, (seq: number) => {
      if (callTree.shownSession) goTo(callTree.shownSession, seq);
    }),
    vscode.commands.registerCommand(SHOW_HISTORY, (target?: VariableContext | string) => history.open(target)),
    // From the status bar (with its session and total) or the command palette / keybinding (the active session).
    vscode.commands.registerCommand(STATUS_GO_TO, async (session = hindsightSession(), totalEvents?: number) => {
      if (!session) return void vscode.window.showInformationMessage('Hindsight: start a Hindsight debug session first.');
      const total = totalEvents ?? ((await session.customRequest('positionInfo')) as PositionInfoResponseBody).totalEvents;
      const seq = await askPosition(total);
      if (seq !== undefined) goTo(session, seq);
    }),
  );
}

async function askPosition(totalEvents: number): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    prompt: `Go to event (1 to ${totalEvents})`,
    validateInput: (value) => (/^\d+$/.test(value.trim()) && Number(value) >= 1 && Number(value) <= totalEvents ? undefined : `a whole number from 1 to ${totalEvents}`),
  });
  return text === undefined ? undefined : Number(text.trim());
}
