// Comparisons and truth on recorded values with Python's rules for builtin types: ==, ordering,
// `in`, `is`, truthiness. What would need the program (a user __eq__, __lt__, __bool__) or a part
// the recorder cut is refused, never guessed.
import type { ValueNode } from '../../protocol/values';
import { ExpressionError, needsProgram, pyError } from './errors';
import { compareNumbers, numberOf } from './numbers';
import { BUILTIN_CONTAINERS, codePoints, isComputed, pythonType, truncated, unreadable } from './nodes';

/** Python == on two values; throws ExpressionError when only the program could tell. */
export function equals(a: ValueNode, b: ValueNode): boolean {
  return equalsIn(a, b, 'top');
}

/**
 * Whether `key` finds `candidate` in a dict or set: hashable keys only, compared by identity, then ==
 * (so a NaN key is found only if it is the same object, which the recording cannot tell).
 */
export function sameKey(candidate: ValueNode, key: ValueNode): boolean {
  requireHashable(key);
  return equalsIn(candidate, key, 'item');
}

/** TypeError for a key Python cannot hash (list, dict, set, bytearray, a tuple holding one). */
export function requireHashable(key: ValueNode): void {
  const unhashable = (node: ValueNode): string | undefined => {
    if (node.kind === 'bytes' && node.type === 'bytearray') return 'bytearray';
    if (node.kind === 'map' && BUILTIN_CONTAINERS.has(node.type)) return node.type;
    if (node.kind === 'seq' && ['list', 'set', 'collections.deque'].includes(node.type)) return node.type;
    if (node.kind === 'seq' && node.type === 'tuple') return node.items.map(unhashable).find((type) => type !== undefined);
    return undefined;
  };
  const type = unhashable(key);
  if (type) throw pyError('TypeError', `unhashable type: '${type}'`);
}

/** Python's a < b (the only comparison sort, min and max use). */
export function lessThan(a: ValueNode, b: ValueNode): boolean {
  return order(a, b, '<');
}

export function order(a: ValueNode, b: ValueNode, op: '<' | '<=' | '>' | '>='): boolean {
  const sign = orderSign(a, b, op);
  if (sign === undefined) return false;
  switch (op) {
    case '<': return sign < 0;
    case '<=': return sign <= 0;
    case '>': return sign > 0;
    case '>=': return sign >= 0;
  }
}

/** `item in container`. */
export function contains(container: ValueNode, item: ValueNode): boolean {
  switch (container.kind) {
    case 'str': {
      if (item.kind !== 'str') throw pyError('TypeError', `'in <string>' requires string as left operand, not ${pythonType(item)}`);
      if (!item.truncated && container.text.includes(item.text)) return true;
      if (item.length > container.length) return false;
      if (container.truncated || item.truncated) throw truncated(container.truncated ? container : item, "'in' on this str");
      return false;
    }
    case 'bytes': {
      const needle = item.kind === 'bytes' ? item : undefined;
      const byte = numberOf(item);
      if (!needle && byte?.kind !== 'int') throw pyError('TypeError', `a bytes-like object is required, not '${pythonType(item)}'`);
      if (byte?.kind === 'int' && (byte.value < 0n || byte.value > 255n)) throw pyError('ValueError', 'byte must be in range(0, 256)');
      const text = needle ? (needle.truncated ? undefined : needle.text) : String.fromCharCode(Number(byte?.value));
      if (text !== undefined && container.text.includes(text)) return true;
      if (container.truncated || text === undefined) throw truncated(container, "'in' on these bytes");
      return false;
    }
    case 'seq': case 'map': {
      if (!BUILTIN_CONTAINERS.has(container.type)) throw needsProgram(`'in' on a ${container.type} (its __contains__)`);
      const keys = container.kind === 'seq' ? container.items : container.entries.map((entry) => entry.key);
      if (container.kind === 'map' || container.type === 'set' || container.type === 'frozenset') requireHashable(item);
      // Python compares each item by identity first, then ==; items are scanned in order.
      if (keys.some((key) => equalsIn(key, item, 'item'))) return true;
      if (keys.length < container.length) throw truncated(container, "'in'");
      return false;
    }
    case 'obj': case 'repr': throw needsProgram(`'in' on a ${container.type} (its __contains__)`);
    case 'deep': case 'cycle': case 'unbound': case 'redacted': case 'error': throw unreadable(container);
    default: throw pyError('TypeError', `argument of type '${pythonType(container)}' is not iterable`);
  }
}

/**
 * `a is b`: exact for None, True and False (singletons). Recorded containers and objects carry
 * CPython's id() from the recording, and the recorder re-reads them at every event of their frame,
 * so two of them are the same object exactly when their ids are equal. Anything else (ints, strs,
 * computed values) has no recorded identity: refused.
 */
export function identical(a: ValueNode, b: ValueNode): boolean {
  const singleton = (node: ValueNode) => node.kind === 'none' || node.kind === 'bool';
  if (singleton(a) || singleton(b)) return a.kind === b.kind && (a.kind !== 'bool' || a.value === (b as { value: boolean }).value);
  const id = (node: ValueNode) => ('id' in node && !isComputed(node) ? node.id : undefined);
  const ida = id(a);
  const idb = id(b);
  if (ida !== undefined && idb !== undefined) return ida === idb;
  if (isBuiltinClass(a) && isBuiltinClass(b)) return a.text === b.text;
  const which = ida === undefined ? a : b;
  throw new ExpressionError(`'is' needs object identity, which the recording does not give for ${isComputed(which) ? 'a computed value' : `a ${pythonType(which)} value`}: use == (or compare with None, True or False)`);
}

/** Python truthiness; throws when it would call a user __bool__/__len__ or the value was not recorded. */
export function truthy(node: ValueNode): boolean {
  switch (node.kind) {
    case 'none': return false;
    case 'bool': return node.value;
    case 'int': return node.value !== 0;
    case 'bigint': return node.digits !== '0';
    case 'float': return node.value !== 0;
    case 'str': case 'bytes': return node.length > 0;
    case 'seq': case 'map': case 'deep':
      if (!BUILTIN_CONTAINERS.has(node.type)) throw needsProgram(`the truth of a ${node.type} (its __bool__ or __len__)`);
      return node.length > 0;
    case 'repr':
      if (ALWAYS_TRUE.has(node.type)) return true;
      throw needsProgram(`the truth of a ${node.type} (its __bool__ or __len__)`);
    case 'obj': throw needsProgram(`the truth of a ${node.type} (its __bool__ or __len__, if its class has one)`);
    default: throw unreadable(node);
  }
}

/** Types whose instances are always true: they define neither __bool__ nor __len__. */
const ALWAYS_TRUE = new Set(['function', 'builtin_function_or_method', 'method', 'type', 'module']);

/** A builtin class as the evaluator names it (type(x), int, str…): a repr node "<class 'int'>". */
export function isBuiltinClass(node: ValueNode): node is Extract<ValueNode, { kind: 'repr' }> {
  return node.kind === 'repr' && node.type === 'type' && /^<class '[A-Za-z]+'>$/.test(node.text) && isComputed(node);
}

type Depth = 'top' | 'item';

function equalsIn(a: ValueNode, b: ValueNode, depth: Depth): boolean {
  const x = numberOf(a);
  const y = numberOf(b);
  if (x && y) {
    const sign = compareNumbers(x, y);
    // Inside a container Python tries identity first: a NaN item equals itself if it is the same object.
    if (sign === undefined && depth === 'item' && Number.isNaN(Number(x.value)) && Number.isNaN(Number(y.value))) {
      throw new ExpressionError('comparing NaN items depends on object identity, which the recording does not give: not evaluated');
    }
    return sign === 0;
  }
  if (a.kind === 'str' && b.kind === 'str') return equalText(a, b);
  if (a.kind === 'bytes' && b.kind === 'bytes') return equalText(a, b);
  if (isBuiltinClass(a) && isBuiltinClass(b)) return a.text === b.text;
  requireBuiltinEq(a);
  requireBuiltinEq(b);
  if (a.kind === 'seq' && b.kind === 'seq') {
    const setLike = (type: string) => type === 'set' || type === 'frozenset';
    if (setLike(a.type) && setLike(b.type)) return equalSets(a, b);
    if (a.type !== b.type || a.length !== b.length) return false;
    return equalItems(a, b);
  }
  if (a.kind === 'map' && b.kind === 'map') return equalDicts(a, b);
  // Different builtin types: both __eq__ return NotImplemented, and Python falls back to identity.
  return a.kind === 'none' && b.kind === 'none';
}

/** Refuses a value whose == is not a builtin one, or that was not recorded. */
function requireBuiltinEq(node: ValueNode): void {
  if (node.kind === 'obj' || node.kind === 'repr') throw needsProgram(`== with a ${node.type} (its __eq__)`);
  if (node.kind === 'deep' || node.kind === 'cycle' || node.kind === 'unbound' || node.kind === 'redacted' || node.kind === 'error') throw unreadable(node);
  if ((node.kind === 'seq' || node.kind === 'map') && !EQ_TYPES.has(node.type)) throw needsProgram(`== with a ${node.type} (its __eq__)`);
}

/** Types whose == is the builtin one (a dict subclass such as OrderedDict compares differently). */
const EQ_TYPES = new Set(['list', 'tuple', 'set', 'frozenset', 'dict', 'collections.defaultdict']);

type Seq = Extract<ValueNode, { kind: 'seq' }>;
type Map = Extract<ValueNode, { kind: 'map' }>;

function sameRecordedObject(a: ValueNode, b: ValueNode): boolean {
  return 'id' in a && 'id' in b && !isComputed(a) && !isComputed(b) && a.id === b.id && a.kind === b.kind;
}

function equalItems(a: Seq, b: Seq): boolean {
  if (sameRecordedObject(a, b)) return true;
  const shown = Math.min(a.items.length, b.items.length);
  for (let i = 0; i < shown; i++) {
    if (!equalsIn(a.items[i] as ValueNode, b.items[i] as ValueNode, 'item')) return false;
  }
  if (shown < a.length) throw truncated(a.items.length < a.length ? a : b, '==');
  return true;
}

function equalSets(a: Seq, b: Seq): boolean {
  if (a.length !== b.length) return false;
  if (a.items.length < a.length || b.items.length < b.length) throw truncated(a.items.length < a.length ? a : b, '==');
  return a.items.every((item) => b.items.some((other) => equalsIn(item, other, 'item')));
}

function equalDicts(a: Map, b: Map): boolean {
  if (a.length !== b.length) return false;
  if (sameRecordedObject(a, b)) return true;
  if (a.entries.length < a.length || b.entries.length < b.length) throw truncated(a.entries.length < a.length ? a : b, '==');
  return a.entries.every((entry) => {
    const match = b.entries.find((other) => equalsIn(entry.key, other.key, 'item'));
    return match !== undefined && equalsIn(entry.value, match.value, 'item');
  });
}

function equalText(a: { text: string; length: number; truncated: boolean }, b: { text: string; length: number; truncated: boolean }): boolean {
  if (a.length !== b.length) return false;
  if (!a.truncated && !b.truncated) return a.text === b.text;
  const shown = Math.min(a.text.length, b.text.length);
  if (a.text.slice(0, shown) !== b.text.slice(0, shown)) return false;
  throw truncated(a.truncated ? a : b, '==');
}

/** The sign of a - b for an ordering comparison; undefined for NaN (all comparisons False). */
function orderSign(a: ValueNode, b: ValueNode, op: string): number | undefined {
  const x = numberOf(a);
  const y = numberOf(b);
  if (x && y) return compareNumbers(x, y);
  if (a.kind === 'str' && b.kind === 'str') return compareText(codePoints(a.text), a, codePoints(b.text), b);
  if (a.kind === 'bytes' && b.kind === 'bytes') return compareText(Array.from(a.text), a, Array.from(b.text), b);
  if (a.kind === 'seq' && b.kind === 'seq' && a.type === b.type && (a.type === 'list' || a.type === 'tuple')) return compareSequences(a, b);
  for (const node of [a, b]) {
    if (node.kind === 'obj' || node.kind === 'repr') throw needsProgram(`'${op}' with a ${node.type} (its ${LT_NAMES[op] ?? '__lt__'})`);
    if (node.kind === 'deep' || node.kind === 'cycle' || node.kind === 'unbound' || node.kind === 'redacted' || node.kind === 'error') throw unreadable(node);
    if ((node.kind === 'seq' || node.kind === 'map') && !EQ_TYPES.has(node.type)) throw needsProgram(`'${op}' with a ${node.type}`);
  }
  if (a.kind === 'seq' && b.kind === 'seq' && a.type !== 'list' && a.type !== 'tuple') throw new ExpressionError(`'${op}' between sets (subset tests) is not supported`);
  throw pyError('TypeError', `'${op}' not supported between instances of '${pythonType(a)}' and '${pythonType(b)}'`);
}

const LT_NAMES: Record<string, string> = { '<': '__lt__', '<=': '__le__', '>': '__gt__', '>=': '__ge__' };

/** Code-point order (JavaScript's < compares UTF-16 units, which differs for astral characters). */
function compareText(a: string[], an: { length: number; truncated: boolean }, b: string[], bn: { length: number; truncated: boolean }): number {
  const shown = Math.min(a.length, b.length);
  for (let i = 0; i < shown; i++) {
    const x = (a[i] as string).codePointAt(0) as number;
    const y = (b[i] as string).codePointAt(0) as number;
    if (x !== y) return x < y ? -1 : 1;
  }
  if ((shown === a.length && an.truncated) || (shown === b.length && bn.truncated)) throw truncated(an.truncated ? an : bn, 'this comparison');
  return an.length - bn.length;
}

function compareSequences(a: Seq, b: Seq): number | undefined {
  const shown = Math.min(a.items.length, b.items.length);
  for (let i = 0; i < shown; i++) {
    const x = a.items[i] as ValueNode;
    const y = b.items[i] as ValueNode;
    if (!equalsIn(x, y, 'item')) return orderSign(x, y, '<');
  }
  if (shown < Math.min(a.length, b.length)) throw truncated(a.items.length < a.length ? a : b, 'this comparison');
  return a.length - b.length;
}
