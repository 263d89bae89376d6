// The call-tree view (debug side bar): the session's `callTree`, asked lazily per expanded node, a
// page at a time; a click goes to the call's start.
import * as vscode from 'vscode';
import type { CallTreeArguments, CallTreeNode, CallTreeResponseBody } from '../../../../protocol/requests';
import { callTreeItem, moreCallsLabel } from './callTreeModel';

export const CALL_TREE_VIEW = 'hindsight.callTree';
export const GO_TO_CALL = 'hindsight.views.goToCall';
/** How many children one expansion asks for. */
const PAGE = 500;

type Node = { call: CallTreeNode } | { note: string };

export class CallTreeView implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private session: vscode.DebugSession | undefined;

  /** Shows `session`'s calls; the tree stays as it is (expansions kept) while the session stays. */
  show(session: vscode.DebugSession): void {
    if (session === this.session) return;
    this.session = session;
    this.changed.fire();
  }

  clear(session: vscode.DebugSession): void {
    if (session !== this.session) return;
    this.session = undefined;
    this.changed.fire();
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if ('note' in node) return new vscode.TreeItem(node.note);
    const model = callTreeItem(node.call);
    const item = new vscode.TreeItem(model.label, model.expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.description = model.description;
    item.tooltip = model.tooltip;
    item.iconPath = new vscode.ThemeIcon(model.icon, model.icon === 'error' ? new vscode.ThemeColor('errorForeground') : undefined);
    item.command = { command: GO_TO_CALL, title: 'Go to this call', arguments: [node.call.firstSeq] };
    return item;
  }

  async getChildren(parent?: Node): Promise<Node[]> {
    const session = this.session;
    if (!session || (parent && 'note' in parent)) return [];
    const args: CallTreeArguments = { count: PAGE, ...(parent ? { invocation: parent.call.invocation } : {}) };
    try {
      const answer = await session.customRequest('callTree', args) as CallTreeResponseBody;
      const calls: Node[] = answer.calls.map((call) => ({ call }));
      return answer.total > answer.calls.length ? [...calls, { note: moreCallsLabel(answer.calls.length, answer.total) }] : calls;
    } catch (error) {
      return [{ note: `The call tree could not be read: ${(error as Error).message}` }];
    }
  }

  /** The session whose calls are shown (the one a click moves). */
  get shownSession(): vscode.DebugSession | undefined {
    return this.session;
  }
}
