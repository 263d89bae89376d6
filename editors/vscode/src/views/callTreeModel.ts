// The call tree's items in words and icons, pure: a callTree node → label, description, tooltip,
// with invocations an exception left marked.
import type { CallTreeNode } from '../../../../protocol/requests';

export interface CallTreeItemModel {
  label: string;
  description: string;
  tooltip: string;
  /** A codicon name: `error` for an invocation an exception left. */
  icon: 'error' | 'symbol-function' | 'debug-pause' | 'loading';
  expandable: boolean;
}

const ENDINGS: Record<CallTreeNode['end'], { words: string; icon: CallTreeItemModel['icon'] }> = {
  return: { words: 'returned', icon: 'symbol-function' },
  exception: { words: 'raised an exception', icon: 'error' },
  suspended: { words: 'suspended (a generator not run to its end)', icon: 'debug-pause' },
  running: { words: 'still running when the recording ended', icon: 'loading' },
};

export function callTreeItem(node: CallTreeNode): CallTreeItemModel {
  const ending = ENDINGS[node.end];
  const events = `events ${node.firstSeq}–${node.lastSeq ?? 'end'}`;
  return {
    label: node.qualname,
    description: `${node.end === 'return' ? '' : `${node.end === 'exception' ? 'raised' : node.end} · `}${events}`,
    tooltip: `${node.qualname} (${node.path}:${node.line}), thread ${node.threadId}: ${events}, ${ending.words}; `
      + `${node.children} call${node.children === 1 ? '' : 's'} made. Click to go to its start.`,
    icon: ending.icon,
    expandable: node.children > 0,
  };
}

/** The item that says a node's children were cut to a page. */
export function moreCallsLabel(shown: number, total: number): string {
  return `… ${total - shown} more calls (the first ${shown} of ${total} are shown)`;
}
