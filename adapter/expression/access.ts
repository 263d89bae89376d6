// x.name, x[key] and x[start:stop:step] on recorded values: instance attributes as recorded, items of
// builtin sequences, dicts, str and bytes with Python's index and slice rules. A part the recorder
// cut is "not recorded"; a __getitem__ or property of the program's class is refused.
import { render, type ValueNode } from '../../protocol/values';
import { sameKey } from './compare';
import { ExpressionError, needsProgram, notRecorded, pyError } from './errors';
import { numberOf } from './numbers';
import { BUILTIN_CONTAINERS, bytesNode, codePoints, freshStr, intNode, pythonType, seqNode, unreadable } from './nodes';

/** A slice's bounds as evaluated (undefined where omitted). */
export interface SliceBounds { start?: ValueNode; stop?: ValueNode; step?: ValueNode }

export function attribute(target: ValueNode, name: string): ValueNode {
  if (target.kind === 'obj') {
    const found = target.attributes.find((candidate) => candidate.name === name);
    if (found) return found.value;
    if (target.attributes.length < target.count) throw notRecorded(`attribute '${name}' (the recorder kept ${target.attributes.length} of ${target.count} attributes)`);
    throw new ExpressionError(`the recorded ${target.type} has no instance attribute '${name}'; a class attribute, property or method would need the program's code`);
  }
  if ((target.kind === 'seq' || target.kind === 'map') && target.attributes) {
    // A subclass instance's own attributes (self.outer of class Env(dict)), recorded after its items.
    const found = target.attributes.find((candidate) => candidate.name === name);
    if (found) return found.value;
    if (target.attributes.length < (target.count ?? 0)) throw notRecorded(`attribute '${name}' (the recorder kept ${target.attributes.length} of ${target.count} attributes)`);
  }
  if (target.kind === 'deep' || target.kind === 'cycle' || target.kind === 'unbound' || target.kind === 'redacted' || target.kind === 'error') throw unreadable(target);
  throw needsProgram(`reading attribute '${name}' of a ${pythonType(target)} (only instance attributes of objects are recorded)`);
}

export function subscript(target: ValueNode, key: ValueNode | SliceBounds): ValueNode {
  if (!('kind' in key)) return slice(target, key);
  switch (target.kind) {
    case 'seq': {
      if (!BUILTIN_CONTAINERS.has(target.type)) throw needsProgram(`indexing a ${target.type} (its __getitem__)`);
      if (target.type === 'set' || target.type === 'frozenset') throw pyError('TypeError', `'${target.type}' object is not subscriptable`);
      const position = indexOf(target.type, key, target.length);
      const item = target.items[position];
      if (!item) throw notRecorded(`item ${position} (the recorder kept ${target.items.length} of ${target.length} items)`);
      return item;
    }
    case 'str': {
      const position = indexOf('string', key, target.length);
      const char = codePoints(target.text)[position];
      if (char === undefined) throw notRecorded(`character ${position} (the recorder kept ${codePoints(target.text).length} of ${target.length} characters)`);
      return freshStr(char);
    }
    case 'bytes': {
      const position = indexOf(target.type === 'bytes' ? 'index' : 'bytearray index', key, target.length);
      if (position >= target.text.length) throw notRecorded(`byte ${position} (the recorder kept ${target.text.length} of ${target.length} bytes)`);
      return intNode(BigInt(target.text.charCodeAt(position)));
    }
    case 'map': {
      if (!BUILTIN_CONTAINERS.has(target.type)) throw needsProgram(`indexing a ${target.type} (its __getitem__)`);
      const found = target.entries.find((entry) => sameKey(entry.key, key));
      if (found) return found.value;
      if (target.entries.length < target.length) throw notRecorded(`this key (the recorder kept ${target.entries.length} of ${target.length} items)`);
      if (target.type !== 'dict' && target.type !== 'collections.OrderedDict') throw needsProgram(`a missing key of a ${target.type} (its __missing__)`);
      throw pyError('KeyError', render(key));
    }
    case 'obj': case 'repr': throw needsProgram(`indexing a ${target.type} (its __getitem__)`);
    case 'deep': case 'cycle': case 'unbound': case 'redacted': case 'error': throw unreadable(target);
    default: throw pyError('TypeError', `'${pythonType(target)}' object is not subscriptable`);
  }
}

/** A non-negative position for index `key` of a sequence of `length`, or IndexError. */
function indexOf(what: string, key: ValueNode, length: number): number {
  const number = numberOf(key);
  if (number?.kind !== 'int') throw pyError('TypeError', `${what} indices must be integers or slices, not ${pythonType(key)}`);
  const position = number.value < 0n ? number.value + BigInt(length) : number.value;
  if (position < 0n || position >= BigInt(length)) throw pyError('IndexError', `${what} index out of range`);
  return Number(position);
}

function slice(target: ValueNode, bounds: SliceBounds): ValueNode {
  switch (target.kind) {
    case 'str': case 'bytes': break;
    case 'seq':
      if (!BUILTIN_CONTAINERS.has(target.type)) throw needsProgram(`slicing a ${target.type} (its __getitem__)`);
      if (target.type === 'set' || target.type === 'frozenset') throw pyError('TypeError', `'${target.type}' object is not subscriptable`);
      if (target.type === 'collections.deque') throw pyError('TypeError', "sequence index must be integer, not 'slice'");
      break;
    case 'obj': case 'repr': throw needsProgram(`slicing a ${target.type} (its __getitem__)`);
    case 'map': throw new ExpressionError(`slicing a ${target.type} is not supported`);
    case 'deep': case 'cycle': case 'unbound': case 'redacted': case 'error': throw unreadable(target);
    default: throw pyError('TypeError', `'${pythonType(target)}' object is not subscriptable`);
  }
  const positions = slicePositions(bounds, target.length);
  const length = target.length;
  const shown = target.kind === 'seq' ? target.items.length : target.kind === 'str' ? codePoints(target.text).length : target.text.length;
  // The known part of the result is its prefix of positions that were recorded.
  let known = 0;
  while (known < positions.count && positions.at(known) < shown) known++;
  if (known < positions.count && known === 0 && positions.count > 0) throw notRecorded(`this slice (the recorder kept ${shown} of ${length} items)`);
  const picked = Array.from({ length: Math.min(known, 10_000) }, (_, i) => positions.at(i));
  if (target.kind === 'seq') return seqNode(target.type === 'tuple' ? 'tuple' : 'list', picked.map((i) => target.items[i] as ValueNode), positions.count);
  if (target.kind === 'str') {
    const points = codePoints(target.text);
    return freshStr(picked.map((i) => points[i]).join(''), positions.count);
  }
  return bytesNode(target.type, picked.map((i) => target.text[i]).join(''), positions.count);
}

/** Python's slice.indices(length) and the positions it selects. */
function slicePositions(bounds: SliceBounds, length: number): { count: number; at(i: number): number } {
  const integer = (node: ValueNode | undefined): bigint | undefined => {
    if (!node || node.kind === 'none') return undefined;
    const number = numberOf(node);
    if (number?.kind !== 'int') throw pyError('TypeError', 'slice indices must be integers or None or have an __index__ method');
    return number.value;
  };
  const step = integer(bounds.step) ?? 1n;
  if (step === 0n) throw pyError('ValueError', 'slice step cannot be zero');
  const size = BigInt(length);
  const [lower, upper] = step > 0n ? [0n, size] : [-1n, size - 1n];
  const adjust = (value: bigint | undefined, fallback: bigint): bigint => {
    if (value === undefined) return fallback;
    const shifted = value < 0n ? value + size : value;
    return shifted < lower ? lower : shifted > upper ? upper : shifted;
  };
  const start = adjust(integer(bounds.start), step > 0n ? lower : upper);
  const stop = adjust(integer(bounds.stop), step > 0n ? upper : lower);
  const span = step > 0n ? stop - start : start - stop;
  const magnitude = step > 0n ? step : -step;
  const count = span > 0n ? Number((span + magnitude - 1n) / magnitude) : 0;
  return { count, at: (i) => Number(start + BigInt(i) * step) };
}
