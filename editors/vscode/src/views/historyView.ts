// The variable-history view (a webview panel beside the editor): `valueHistory` of one variable,
// asked again at every stop (the changes after the cursor are marked); a click goes to a change.
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { PositionInfoResponseBody, ValueHistoryArguments, ValueHistoryResponseBody } from '../../../../protocol/requests';
import { goTo } from './goTo';
import { historyModel } from './historyModel';
import { webviewHtml, webviewOptions } from './webviewHtml';
import type { HistoryPageMessage, PageRequest } from './webview/messages';

/** The most changes one view asks for; the view says when there are more. */
const PAGE = 2000;

/** What the Variables view's context menu passes to its commands. */
export interface VariableContext {
  container: DebugProtocol.Scope | DebugProtocol.Variable;
  variable: DebugProtocol.Variable;
}

interface Shown {
  panel: vscode.WebviewPanel;
  session: vscode.DebugSession;
  /** After the first answer, its owning invocation: later stops ask about the same variable. */
  args: ValueHistoryArguments;
  message: HistoryPageMessage;
}

export class HistoryView {
  private shown: Shown | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** The command: from the Variables view's menu, or with a name (asked for when absent). */
  async open(target: VariableContext | string | undefined): Promise<void> {
    const session = vscode.debug.activeDebugSession;
    const frame = vscode.debug.activeStackItem;
    if (session?.type !== 'hindsight' || !(frame instanceof vscode.DebugStackFrame)) {
      void vscode.window.showErrorMessage('Variable history needs a Hindsight debug session stopped in a frame.');
      return;
    }
    if (typeof target === 'object' && !('expensive' in target.container)) {
      void vscode.window.showErrorMessage(`The recording keeps the history of variables, not of their items: '${target.variable.name}' is inside '${target.container.name}'.`);
      return;
    }
    const name = typeof target === 'object' ? target.variable.name : target ?? await vscode.window.showInputBox({ prompt: 'Variable name (as Python reads it in the current frame)' });
    if (!name) return;
    const answer = await this.ask(session, { name, frameId: frame.frameId });
    const panel = this.panelFor(name);
    this.shown = { panel, session, ...answer };
    void panel.webview.postMessage(answer.message);
  }

  async refresh(session: vscode.DebugSession): Promise<void> {
    const shown = this.shown;
    if (!shown || shown.session !== session) return;
    const answer = await this.ask(session, shown.args);
    if (this.shown !== shown) return;
    Object.assign(shown, answer);
    void shown.panel.webview.postMessage(answer.message);
  }

  clear(session: vscode.DebugSession): void {
    if (this.shown?.session !== session) return;
    this.shown.message = { type: 'empty', text: 'The debug session ended.' };
    void this.shown.panel.webview.postMessage(this.shown.message);
  }

  private async ask(session: vscode.DebugSession, args: ValueHistoryArguments): Promise<{ message: HistoryPageMessage; args: ValueHistoryArguments }> {
    try {
      const [history, position] = await Promise.all([
        session.customRequest('valueHistory', { ...args, count: PAGE }) as Promise<ValueHistoryResponseBody>,
        session.customRequest('positionInfo', {}) as Promise<PositionInfoResponseBody>,
      ]);
      return { message: { type: 'model', model: historyModel(args.name, history, position.seq) }, args: { name: args.name, invocation: history.invocation } };
    } catch (error) {
      return { message: { type: 'empty', text: `No history of '${args.name}': ${(error as Error).message}` }, args };
    }
  }

  private panelFor(name: string): vscode.WebviewPanel {
    const title = `History of ${name}`;
    if (this.shown) {
      this.shown.panel.title = title;
      this.shown.panel.reveal(vscode.ViewColumn.Beside, true);
      return this.shown.panel;
    }
    const panel = vscode.window.createWebviewPanel('hindsight.valueHistory', title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(this.extensionUri));
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'history', `
<h2 id="history-title"></h2>
<div id="history-note" class="warning" role="status" hidden></div>
<svg id="history-chart" role="img" aria-label="Value history chart"></svg>
<table id="history-table" aria-label="Value history"><thead><tr><th>event</th><th>line</th><th>value</th><th>type</th></tr></thead><tbody></tbody></table>
<div id="history-empty" class="empty"></div>`);
    panel.webview.onDidReceiveMessage((request: PageRequest) => {
      const shown = this.shown;
      if (request.type === 'ready' && shown) void panel.webview.postMessage(shown.message);
      else if (request.type === 'goto' && shown) goTo(shown.session, request.seq);
    });
    panel.onDidDispose(() => { this.shown = undefined; });
    return panel;
  }
}
