// The one place trace data becomes DAP: stack frames (ids from protocol/frameId), sources, scopes, and
// values as Variables with types, indexed/named counts, paging and variablesReference handles.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Handles, Scope, Source, StackFrame } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { frameIdOf } from '../protocol/frameId';
import type { SourceFile, StackFrame as TraceFrame, VariableValue } from '../protocol/reader';
import { asPythonReadsIt } from '../protocol/sourceText';
import { RETURN_VARIABLE, YIELD_VARIABLE, type FileId, type InvocationId, type Seq } from '../protocol/schema';
import { render, typeName, type Attribute, type ValueNode } from '../protocol/values';
import type { LineExecutions } from './lineExecutions';

/** Names of the pseudo-entries shown at a frame's exit. */
export const RETURN_VALUE_NAME = 'Return value';
export const YIELD_VALUE_NAME = 'Yielded value';
export const EXCEPTION_NAME = 'Exception';

/** What a variablesReference stands for. */
export type Container =
  | { kind: 'scope'; scope: 'locals' | 'globals'; seq: Seq; invocation: InvocationId }
  | { kind: 'value'; node: ValueNode };

/**
 * Source references and path ↔ file lookups; a file whose text on disk differs from the recorded one,
 * or is gone, is served from the trace (when the recorder could read it: sha256 is null otherwise).
 * Code compiled from a string has no path: its name ('<string>') and, when recorded, its text by
 * reference; a source not recorded says why in `origin`.
 */
export class Sources {
  private readonly onDisk = new Map<FileId, boolean>();

  toDap(file: SourceFile): DebugProtocol.Source {
    if (file.origin === 'string') {
      const source: DebugProtocol.Source = { name: file.name, sourceReference: file.sha256 === null ? 0 : file.id };
      source.origin = file.missing === null ? 'recorded source (compiled from a string)' : `source not recorded: ${file.missing}`;
      return source;
    }
    const source = new Source(path.basename(file.path), file.path) as DebugProtocol.Source;
    if (file.sha256 === null && file.missing !== null) source.origin = `source not recorded: ${file.missing}`;
    if (file.sha256 !== null && !this.matchesDisk(file)) {
      source.sourceReference = file.id;
      source.origin = 'recorded source (the file changed or is gone since the recording)';
    }
    return source;
  }

  private matchesDisk(file: SourceFile): boolean {
    let same = this.onDisk.get(file.id);
    if (same === undefined) {
      try {
        same = createHash('sha256').update(asPythonReadsIt(fs.readFileSync(file.path, 'utf8'))).digest('hex') === file.sha256;
      } catch {
        same = false;
      }
      this.onDisk.set(file.id, same);
    }
    return same;
  }
}

export function stackFrameToDap(frame: TraceFrame, file: SourceFile, sources: Sources): DebugProtocol.StackFrame {
  return new StackFrame(frameIdOf(frame), frame.code.qualname, sources.toDap(file) as Source, frame.line, 1) as DebugProtocol.StackFrame;
}

/** variablesReference handles for one stop: scopes and expandable values; cleared on every move. */
export class VariableHandles {
  private handles = new Handles<Container>();

  reset(): void {
    this.handles = new Handles<Container>();
  }

  scopes(seq: Seq, invocation: InvocationId, globalsOf: InvocationId | undefined): DebugProtocol.Scope[] {
    const scopes = [new Scope('Locals', this.handles.create({ kind: 'scope', scope: 'locals', seq, invocation }), false)];
    if (globalsOf !== undefined && globalsOf !== invocation) {
      scopes.push(new Scope('Globals', this.handles.create({ kind: 'scope', scope: 'globals', seq, invocation: globalsOf }), true));
    }
    return scopes.map((scope) => ({ ...scope, presentationHint: scope.name === 'Locals' ? 'locals' : 'globals' }) as DebugProtocol.Scope);
  }

  /** What a handle stands for (a frame's scope, or a value whose children it lists); undefined when unknown or stale. */
  container(reference: number): Container | undefined {
    return this.handles.get(reference);
  }

  /** The children of a handle, paged by start/count; `read` fetches a scope's values from the trace. */
  variables(reference: number, page: { start?: number; count?: number; filter?: 'indexed' | 'named' }, read: (container: { scope: 'locals' | 'globals'; seq: Seq; invocation: InvocationId }) => VariableValue[], exitAt: (scope: { seq: Seq; invocation: InvocationId }) => ExitFacts): DebugProtocol.Variable[] {
    const container = this.handles.get(reference);
    if (!container) throw new Error(`variablesReference ${reference} is unknown (stale after a step, or never given)`);
    const children = container.kind === 'scope' ? this.scopeChildren(read(container), container.scope === 'locals' ? exitAt(container) : undefined) : childrenOf(container.node, page.filter);
    const start = Math.max(0, page.start ?? 0);
    const end = page.count ? start + page.count : undefined;
    return children.slice(start, end).map(({ name, node }) => this.variable(name, node));
  }

  /** A value as a DAP Variable (or evaluate result): text, type, and a handle with counts when expandable. */
  variable(name: string, node: ValueNode): DebugProtocol.Variable {
    const counts = childCounts(node);
    const reference = counts.indexed + counts.named > 0 ? this.handles.create({ kind: 'value', node }) : 0;
    const variable: DebugProtocol.Variable = { name, value: render(node), type: typeName(node), variablesReference: reference };
    if (counts.indexed) variable.indexedVariables = counts.indexed;
    if (counts.named && counts.indexed) variable.namedVariables = counts.named;
    else if (counts.named) variable.namedVariables = counts.named;
    return variable;
  }

  private scopeChildren(values: VariableValue[], exit: ExitFacts | undefined): { name: string; node: ValueNode }[] {
    const children = values.map((value) => ({ name: pseudoName(value.name), node: value.value }));
    if (exit?.exception) children.unshift({ name: EXCEPTION_NAME, node: exit.exception });
    return children.sort((a, b) => rank(a.name) - rank(b.name));
  }
}

/** At an UNWIND exit, the exception leaving the frame, shown first in Locals. */
export interface ExitFacts {
  exception?: ValueNode;
}

function pseudoName(name: string): string {
  if (name === RETURN_VARIABLE) return RETURN_VALUE_NAME;
  if (name === YIELD_VARIABLE) return YIELD_VALUE_NAME;
  return name;
}

function rank(name: string): number {
  return name === RETURN_VALUE_NAME || name === YIELD_VALUE_NAME || name === EXCEPTION_NAME ? 0 : 1;
}

const TRUNCATED = '(truncated)';

function childCounts(node: ValueNode): { indexed: number; named: number } {
  switch (node.kind) {
    case 'seq':
      return { indexed: node.items.length, named: (node.items.length < node.length ? 1 : 0) + ownAttributes(node).length };
    case 'map':
      return { indexed: 0, named: node.entries.length + (node.entries.length < node.length ? 1 : 0) + ownAttributes(node).length };
    case 'obj':
      return { indexed: 0, named: node.attributes.length + (node.attributes.length < node.count ? 1 : 0) };
    case 'deep':
      return { indexed: 0, named: 1 };
    default:
      return { indexed: 0, named: 0 };
  }
}

/** A value's children: items by index, entries by key text, attributes by name; a "(truncated)" entry where a cap hit. */
function childrenOf(node: ValueNode, filter: 'indexed' | 'named' | undefined): { name: string; node: ValueNode }[] {
  const note = (shown: number, total: number, what: string) => ({
    name: TRUNCATED,
    node: { kind: 'repr', type: '', text: `${shown} of ${total} ${what} recorded (the recorder's cap)` } as ValueNode,
  });
  switch (node.kind) {
    case 'seq': {
      const items = node.items.map((item, i) => ({ name: String(i), node: item }));
      const named = [...(node.items.length < node.length ? [note(node.items.length, node.length, 'items')] : []), ...ownAttributes(node)];
      if (filter === 'indexed') return items;
      if (filter === 'named') return named;
      return [...items, ...named];
    }
    case 'map': {
      if (filter === 'indexed') return [];
      const entries = node.entries.map((entry) => ({ name: render(entry.key), node: entry.value }));
      const truncated = node.entries.length < node.length ? [note(node.entries.length, node.length, 'items')] : [];
      return [...entries, ...truncated, ...ownAttributes(node)];
    }
    case 'obj': {
      if (filter === 'indexed') return [];
      const attributes = node.attributes.map((attribute) => ({ name: attribute.name, node: attribute.value }));
      return node.attributes.length < node.count ? [...attributes, note(node.attributes.length, node.count, 'attributes')] : attributes;
    }
    case 'deep':
      // Below the recorder's depth cap only the size was recorded: say so rather than look empty.
      return filter === 'indexed' ? [] : [{
        name: TRUNCATED,
        node: { kind: 'repr', type: '', text: `${node.length} ${node.length === 1 ? 'item' : 'items'} not recorded (the recorder's depth cap)` },
      }];
    default:
      return [];
  }
}

/** A seq or map subclass instance's own attributes (class Env(dict) with self.outer), shown after its items. */
function ownAttributes(node: { count?: number; attributes?: Attribute[] }): { name: string; node: ValueNode }[] {
  const attributes = (node.attributes ?? []).map((attribute) => ({ name: attribute.name, node: attribute.value }));
  const count = node.count ?? 0;
  if (attributes.length >= count) return attributes;
  return [...attributes, { name: TRUNCATED, node: { kind: 'repr', type: '', text: `${attributes.length} of ${count} attributes recorded (the recorder's cap)` } }];
}

/** Goto targets labelled "#3 of 10 · event 1234" (id = the seq); the last says how many were left out. */
export function gotoTargetsToDap(executions: LineExecutions): DebugProtocol.GotoTarget[] {
  const { events, total, line } = executions;
  return events.map((event, index) => {
    const left = index === events.length - 1 ? total - events.length : 0;
    const note = left > 0 ? ` (${left} later executions not listed: use a hit-count breakpoint or :goto N)` : '';
    return { id: event.seq, label: `#${index + 1} of ${total} · event ${event.seq}${note}`, line };
  });
}
