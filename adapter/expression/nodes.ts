// Value nodes the evaluator makes (results are ValueNodes like recorded ones, so they render and
// expand the same way), and the facts it needs about a node: recorded or computed, builtin type.
import { floatRepr, typeName, type MapEntry, type ValueNode } from '../../protocol/values';
import { ExpressionError, needsProgram, notRecorded, pyError } from './errors';

/** Computed results hold at most this many items or characters; the rest is marked truncated, with the exact length. */
export const RESULT_CAP = 10_000;

/** Nodes built by the evaluator: they have no recorded identity (their `id` means nothing). */
const computed = new WeakSet<ValueNode>();

export function isComputed(node: ValueNode): boolean {
  return computed.has(node);
}

/** Registers a node the evaluator made. */
export function fresh<T extends ValueNode>(node: T): T {
  computed.add(node);
  return node;
}

const SAFE = 2n ** 53n;

export function intNode(value: bigint): ValueNode {
  return value < SAFE && value > -SAFE ? { kind: 'int', value: Number(value) } : { kind: 'bigint', digits: value.toString() };
}

export function floatNode(value: number): ValueNode {
  return { kind: 'float', value, repr: floatRepr(value) };
}

export function boolNode(value: boolean): ValueNode {
  return { kind: 'bool', value };
}

/** A complete str, or its first RESULT_CAP code points when `length` says it is longer. */
export function freshStr(text: string, length = codePoints(text).length): ValueNode {
  const points = codePoints(text);
  const shown = points.length > RESULT_CAP ? points.slice(0, RESULT_CAP).join('') : text;
  return { kind: 'str', text: shown, length, truncated: length > Math.min(points.length, RESULT_CAP) };
}

/** `latin1` holds one character per byte. */
export function bytesNode(type: string, latin1: string, length = latin1.length): ValueNode {
  const shown = latin1.slice(0, RESULT_CAP);
  return fresh({ kind: 'bytes', type, text: shown, length, truncated: length > shown.length });
}

/** A computed list/tuple/set: `items` are its first items, `length` its exact size. */
export function seqNode(type: string, items: ValueNode[], length = items.length): ValueNode {
  return fresh({ kind: 'seq', type, id: 0, length, items: items.slice(0, RESULT_CAP) });
}

export function dictNode(entries: MapEntry[]): ValueNode {
  return fresh({ kind: 'map', type: 'dict', id: 0, length: entries.length, entries });
}

export function codePoints(text: string): string[] {
  return Array.from(text);
}

/** Builtin container types whose len, indexing, iteration and == are the C ones (a subclass may override them). */
export const BUILTIN_CONTAINERS = new Set(['list', 'tuple', 'set', 'frozenset', 'dict', 'collections.deque', 'collections.OrderedDict', 'collections.defaultdict', 'collections.Counter']);

/** The type name Python would print for this node ('int', 'list', 'shop.Cart'). */
export function pythonType(node: ValueNode): string {
  if (node.kind === 'unbound' || node.kind === 'redacted' || node.kind === 'error') throw unreadable(node);
  return typeName(node);
}

/** Why a value cannot be used at all. */
export function unreadable(node: ValueNode): ExpressionError {
  switch (node.kind) {
    case 'unbound': return notRecorded('the value of a deleted variable');
    case 'redacted': return new ExpressionError('a value redacted in this trace (recorded with secret redaction) cannot be used');
    case 'error': return notRecorded(`this value (${node.reason})`);
    case 'deep': return notRecorded(`the content of this ${node.type} (the recorder's depth cap)`);
    case 'cycle': return notRecorded(`the content of this ${node.type} (a reference back to an enclosing container)`);
    default: return notRecorded('this value');
  }
}

/** The items of a complete sequence, set, dict (its keys), str (its characters) or bytes (its ints), in order. */
export function completeItems(node: ValueNode, what: string): ValueNode[] {
  switch (node.kind) {
    case 'seq':
      if (!BUILTIN_CONTAINERS.has(node.type)) break;
      if (node.items.length < node.length) throw truncated(node, what);
      return node.items;
    case 'map':
      if (!BUILTIN_CONTAINERS.has(node.type)) break;
      if (node.entries.length < node.length) throw truncated(node, what);
      return node.entries.map((entry) => entry.key);
    case 'str':
      if (node.truncated) throw truncated(node, what);
      return codePoints(node.text).map((char) => freshStr(char));
    case 'bytes':
      if (node.truncated) throw truncated(node, what);
      return Array.from(node.text, (char) => intNode(BigInt(char.charCodeAt(0))));
    case 'deep': case 'cycle': case 'unbound': case 'redacted': case 'error':
      throw unreadable(node);
    default:
      break;
  }
  if (node.kind === 'obj' || node.kind === 'seq' || node.kind === 'map' || node.kind === 'repr') throw needsProgram(`iterating a ${typeName(node)}`);
  throw pyError('TypeError', `'${typeName(node)}' object is not iterable`);
}

/** A cap cut this value: an answer needing all of it would be a guess. */
export function truncated(node: { length: number }, what: string): ExpressionError {
  return new ExpressionError(`${what} needs all ${node.length} items of a value the recorder cut short (its cap): not evaluated`);
}
