// The builtins an expression may call, computed on recorded values with CPython's results: len, min,
// max, sum, abs, sorted, any, all, round, bool, int, float, str, repr, type, isinstance, list, tuple.
// Anything that would call the program's own methods (__len__, __repr__, a key function) is refused.
import { pythonStrRepr, render, type ValueNode } from '../../protocol/values';
import { isBuiltinClass, lessThan, truthy } from './compare';
import { ExpressionError, needsProgram, pyError } from './errors';
import { numberOf, numNode, roundFloat, roundInt, toFloat } from './numbers';
import { BUILTIN_CONTAINERS, boolNode, completeItems, floatNode, fresh, freshStr, intNode, pythonType, seqNode, truncated, unreadable } from './nodes';
import { binary } from './operators';

export type Keywords = Record<string, ValueNode>;
type Builtin = (args: ValueNode[], keywords: Keywords) => ValueNode;

/** The builtin classes an expression can name (int, str…), as type(x) shows them. */
export const BUILTIN_CLASSES = ['int', 'float', 'str', 'bool', 'bytes', 'bytearray', 'list', 'tuple', 'dict', 'set', 'frozenset', 'object', 'type', 'NoneType'];

/** A builtin class as a value: "<class 'int'>". */
export function classNode(qualifiedName: string): ValueNode {
  return fresh({ kind: 'repr', type: 'type', text: `<class '${qualifiedName}'>` });
}

/** The value of a builtin name that the frame does not shadow, or undefined. */
export function builtinValue(name: string): ValueNode | undefined {
  if (name !== 'NoneType' && BUILTIN_CLASSES.includes(name)) return classNode(name);
  if (name in FUNCTIONS) return fresh({ kind: 'repr', type: 'builtin_function_or_method', text: `<built-in function ${name}>` });
  return undefined;
}

/** Calls builtin `name` (or the builtin class of that name). */
export function callBuiltin(name: string, args: ValueNode[], keywords: Keywords): ValueNode {
  const builtin = FUNCTIONS[name];
  if (!builtin) throw needsProgram(`calling ${name}()`);
  return builtin(args, keywords);
}

/** Every builtin name an expression can use (functions, then classes). */
export function builtinNames(): string[] {
  return [...Object.keys(FUNCTIONS), ...BUILTIN_CLASSES.filter((name) => !(name in FUNCTIONS) && name !== 'NoneType')];
}

const FUNCTIONS: Record<string, Builtin> = {
  len: (args, keywords) => {
    const [value] = arity('len', args, keywords, 1, 1);
    return intNode(BigInt(lengthOf(value as ValueNode)));
  },
  abs: (args, keywords) => {
    const [value] = arity('abs', args, keywords, 1, 1);
    const number = numberOf(value as ValueNode);
    if (!number) throw operandError('abs', value as ValueNode);
    return numNode(number.kind === 'int' ? { kind: 'int', value: number.value < 0n ? -number.value : number.value } : { kind: 'float', value: Math.abs(number.value) });
  },
  min: (args, keywords) => extreme('min', args, keywords),
  max: (args, keywords) => extreme('max', args, keywords),
  sum: (args, keywords) => {
    const [iterable, start = keywords.start ?? intNode(0n)] = arity('sum', args, keywords, 1, 2, ['start']) as [ValueNode, ValueNode?];
    if (start.kind === 'str') throw pyError('TypeError', "sum() can't sum strings [use ''.join(seq) instead]");
    if (start.kind === 'bytes') throw pyError('TypeError', "sum() can't sum bytes [use b''.join(seq) instead]");
    return completeItems(iterable, 'sum()').reduce(addForSum, start);
  },
  sorted: (args, keywords) => {
    const [iterable] = arity('sorted', args, keywords, 1, 1, ['reverse']);
    return seqNode('list', sortItems(completeItems(iterable as ValueNode, 'sorted()'), keywords.reverse ? truthy(keywords.reverse) : false));
  },
  any: (args, keywords) => boolNode(scanTruth('any', arity('any', args, keywords, 1, 1)[0] as ValueNode, true)),
  all: (args, keywords) => boolNode(!scanTruth('all', arity('all', args, keywords, 1, 1)[0] as ValueNode, false)),
  round: (args, keywords) => {
    const [value, digits = keywords.ndigits] = arity('round', args, keywords, 1, 2, ['ndigits']) as [ValueNode, ValueNode?];
    const number = numberOf(value);
    if (!number) throw value.kind === 'obj' || value.kind === 'repr' ? needsProgram(`round() of a ${value.type} (its __round__)`) : pyError('TypeError', `type ${pythonType(value)} doesn't define __round__ method`);
    const places = digits === undefined || digits.kind === 'none' ? undefined : numberOf(digits);
    if (places && places.kind !== 'int') throw pyError('TypeError', `'${pythonType(digits as ValueNode)}' object cannot be interpreted as an integer`);
    if (number.kind === 'int') return intNode(places ? roundInt(number.value, places.value) : number.value);
    return numNode(roundFloat(number.value, places?.value));
  },
  bool: (args, keywords) => boolNode(args.length ? truthy(arity('bool', args, keywords, 0, 1)[0] as ValueNode) : false),
  int: (args, keywords) => (args.length ? toInt(arity('int', args, keywords, 0, 1)[0] as ValueNode) : intNode(0n)),
  float: (args, keywords) => (args.length ? toFloatNode(arity('float', args, keywords, 0, 1)[0] as ValueNode) : floatNode(0)),
  str: (args, keywords) => {
    if (!args.length) return freshStr('');
    const [value] = arity('str', args, keywords, 0, 1) as [ValueNode];
    if (value.kind === 'str') return value;
    if (value.kind === 'repr' && !SAME_STR_AND_REPR.has(value.type)) throw needsProgram(`str() of a ${value.type} (its __str__)`);
    if (value.kind === 'obj') throw needsProgram(`str() of a ${value.type} (its __str__)`);
    return freshStr(pythonRepr(value));
  },
  repr: (args, keywords) => freshStr(pythonRepr(arity('repr', args, keywords, 1, 1)[0] as ValueNode)),
  type: (args, keywords) => {
    const [value] = arity('type', args, keywords, 1, 1) as [ValueNode];
    return classNode(pythonType(value));
  },
  isinstance: (args, keywords) => {
    const [value, classes] = arity('isinstance', args, keywords, 2, 2) as [ValueNode, ValueNode];
    const wanted = classes.kind === 'seq' && classes.type === 'tuple' ? classes.items : [classes];
    const names = wanted.map((node) => {
      if (!isBuiltinClass(node)) throw new ExpressionError('isinstance() is supported with builtin classes only (int, str, list…)');
      return node.text.slice("<class '".length, -2);
    });
    if (names.includes('object')) return boolNode(true);
    const classesOf = builtinBases(value);
    return boolNode(names.some((name) => classesOf.includes(name)));
  },
  list: (args, keywords) => seqNode('list', args.length ? completeItems(arity('list', args, keywords, 0, 1)[0] as ValueNode, 'list()') : []),
  tuple: (args, keywords) => seqNode('tuple', args.length ? completeItems(arity('tuple', args, keywords, 0, 1)[0] as ValueNode, 'tuple()') : []),
};

/** Checks the argument count and that only the named keywords are given; returns the positional arguments. */
function arity(name: string, args: ValueNode[], keywords: Keywords, min: number, max: number, allowed: string[] = []): ValueNode[] {
  for (const keyword of Object.keys(keywords)) {
    if (keyword === 'key') throw needsProgram(`${name}() with a key function`);
    if (!allowed.includes(keyword)) throw pyError('TypeError', `${name}() got an unexpected keyword argument '${keyword}'`);
  }
  if (args.length < min || args.length > max) {
    const expected = min === max ? `exactly ${min} argument${min === 1 ? '' : 's'}` : `${min} to ${max} arguments`;
    throw pyError('TypeError', `${name}() takes ${expected} (${args.length} given)`);
  }
  return args;
}

function operandError(name: string, value: ValueNode): ExpressionError {
  if (value.kind === 'obj' || value.kind === 'repr') return needsProgram(`${name}() of a ${value.type}`);
  return pyError('TypeError', `bad operand type for ${name}(): '${pythonType(value)}'`);
}

/** len(): recorded exactly even when the items were cut (the recorder stores the length). */
function lengthOf(value: ValueNode): number {
  switch (value.kind) {
    case 'str': case 'bytes': return value.length;
    case 'seq': case 'map': case 'deep':
      if (!BUILTIN_CONTAINERS.has(value.type)) throw needsProgram(`len() of a ${value.type} (its __len__)`);
      return value.length;
    case 'obj': case 'repr': throw needsProgram(`len() of a ${value.type} (its __len__)`);
    case 'cycle': case 'unbound': case 'redacted': case 'error': throw unreadable(value);
    default: throw pyError('TypeError', `object of type '${pythonType(value)}' has no len()`);
  }
}

/** min()/max(): the first smallest/largest item, comparing with < as CPython does. */
function extreme(name: 'min' | 'max', args: ValueNode[], keywords: Keywords): ValueNode {
  arity(name, args, keywords, 1, Number.POSITIVE_INFINITY, ['default']);
  const items = args.length === 1 ? completeItems(args[0] as ValueNode, `${name}()`) : args;
  if (args.length > 1 && keywords.default) throw pyError('TypeError', `Cannot specify a default for ${name}() with multiple positional arguments`);
  let best = items[0];
  if (!best) {
    if (keywords.default) return keywords.default;
    throw pyError('ValueError', `${name}() arg is an empty sequence`);
  }
  for (const item of items.slice(1)) {
    if (name === 'min' ? lessThan(item, best) : lessThan(best, item)) best = item;
  }
  return best;
}

/**
 * One step of sum(). Python 3.12 sums floats with compensation (Neumaier) where 3.11 adds them one by
 * one; the two agree whenever every addition is exact, so an inexact float step is refused.
 */
function addForSum(total: ValueNode, item: ValueNode): ValueNode {
  const result = binary('+', total, item);
  const x = numberOf(total);
  const y = numberOf(item);
  if (result.kind === 'float' && x && y && Number.isFinite(result.value)) {
    const a = toFloat(x);
    const b = toFloat(y);
    const bVirtual = result.value - a;
    const error = (a - (result.value - bVirtual)) + (b - bVirtual);
    if (error !== 0 && Number.isFinite(error)) {
      throw new ExpressionError('sum() of these floats rounds, and Python 3.12+ (compensated summation) rounds differently from 3.11: not evaluated; the items are exact, add them in the order you need');
    }
  }
  return result;
}

/** A stable sort with Python's <; items that do not all compare (or NaNs) make the result depend on Python's algorithm: refused. */
function sortItems(items: ValueNode[], reverse: boolean): ValueNode[] {
  if (items.some((item) => item.kind === 'float' && Number.isNaN(item.value))) {
    throw new ExpressionError("sorting NaNs gives an order that depends on Python's sort algorithm: not evaluated");
  }
  const ordered = reverse ? [...items].reverse() : [...items];
  try {
    ordered.sort((a, b) => (lessThan(a, b) ? -1 : lessThan(b, a) ? 1 : 0));
  } catch (error) {
    if (error instanceof ExpressionError && error.message.startsWith('TypeError')) {
      throw new ExpressionError(`the items do not all compare (${error.message}), and which pairs Python's sort compares decides whether it fails: not evaluated`);
    }
    throw error;
  }
  return reverse ? ordered.reverse() : ordered;
}

/** any()/all(): whether some item has truthiness `wanted`, scanning in order and stopping at the first. */
function scanTruth(name: string, iterable: ValueNode, wanted: boolean): boolean {
  const recorded = iterable.kind === 'seq' && BUILTIN_CONTAINERS.has(iterable.type) ? iterable : undefined;
  const items = recorded ? recorded.items : completeItems(iterable, `${name}()`);
  if (items.some((item) => truthy(item) === wanted)) return true;
  if (recorded && recorded.items.length < recorded.length) throw truncated(recorded, `${name}()`);
  return false;
}

function toInt(value: ValueNode): ValueNode {
  const number = numberOf(value);
  if (number?.kind === 'int') return intNode(number.value);
  if (number?.kind === 'float') {
    if (Number.isNaN(number.value)) throw pyError('ValueError', 'cannot convert float NaN to integer');
    if (!Number.isFinite(number.value)) throw pyError('OverflowError', 'cannot convert float infinity to integer');
    return intNode(BigInt(Math.trunc(number.value)));
  }
  if (value.kind === 'str') {
    if (value.truncated) throw truncated(value, 'int()');
    const text = value.text.trim();
    if (/[^\x00-\x7f]/.test(text)) throw new ExpressionError('int() of a str with non-ASCII characters is not supported');
    if (!/^[+-]?\d(_?\d)*$/.test(text)) throw pyError('ValueError', `invalid literal for int() with base 10: ${pythonStrRepr(value.text)}`);
    if (text.replace(/[^\d]/g, '').length > INT_MAX_STR_DIGITS) throw new ExpressionError(`int() of a str of more than ${INT_MAX_STR_DIGITS} digits raises ValueError or not depending on the Python's int_max_str_digits limit (4300 since 3.11): not evaluated`);
    return intNode(BigInt(text.replace(/_/g, '')));
  }
  if (value.kind === 'obj' || value.kind === 'repr') throw needsProgram(`int() of a ${value.type} (its __int__)`);
  throw pyError('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${pythonType(value)}'`);
}

function toFloatNode(value: ValueNode): ValueNode {
  const number = numberOf(value);
  if (number) return floatNode(toFloat(number));
  if (value.kind === 'str') {
    if (value.truncated) throw truncated(value, 'float()');
    const text = value.text.trim();
    if (/[^\x00-\x7f]/.test(text)) throw new ExpressionError('float() of a str with non-ASCII characters is not supported');
    const special = /^([+-]?)(nan|inf|infinity)$/i.exec(text);
    if (special) return floatNode(special[2]?.toLowerCase() === 'nan' ? Number.NaN : (special[1] === '-' ? -Infinity : Infinity));
    const digits = '\\d(?:_?\\d)*';
    if (!new RegExp(`^[+-]?(?:${digits}(?:\\.(?:${digits})?)?|\\.${digits})(?:[eE][+-]?${digits})?$`).test(text)) {
      throw pyError('ValueError', `could not convert string to float: ${pythonStrRepr(value.text)}`);
    }
    return floatNode(Number(text.replace(/_/g, '')));
  }
  if (value.kind === 'obj' || value.kind === 'repr') throw needsProgram(`float() of a ${value.type} (its __float__)`);
  throw pyError('TypeError', `float() argument must be a string or a real number, not '${pythonType(value)}'`);
}

/** Values whose str() is their repr (functions, classes, modules): the recorded text serves both. */
const SAME_STR_AND_REPR = new Set(['function', 'builtin_function_or_method', 'method', 'type', 'module']);

/** Python's repr(), for values whose repr is builtin and fully recorded. */
export function pythonRepr(value: ValueNode): string {
  checkReprable(value);
  return render(value);
}

function checkReprable(value: ValueNode): void {
  switch (value.kind) {
    case 'bigint':
      // Python 3.11 refuses to print an int of more than 4300 digits (sys.set_int_max_str_digits); older versions print it.
      if (value.digits.replace('-', '').length > INT_MAX_STR_DIGITS) throw new ExpressionError(`printing an int of more than ${INT_MAX_STR_DIGITS} digits raises ValueError or not depending on the Python's int_max_str_digits limit (4300 since 3.11): not evaluated`);
      return;
    case 'none': case 'bool': case 'int': case 'float': case 'repr': return;
    case 'str': case 'bytes':
      if (value.truncated) throw truncated(value, 'repr()');
      if (value.kind === 'bytes' && value.type !== 'bytes' && value.type !== 'bytearray') throw needsProgram(`repr() of a ${value.type}`);
      return;
    case 'seq': case 'map': {
      if (!REPR_TYPES.has(value.type)) throw needsProgram(`repr() of a ${value.type} (its __repr__)`);
      const items = value.kind === 'seq' ? value.items : value.entries.flatMap((entry) => [entry.key, entry.value]);
      if ((value.kind === 'seq' ? value.items.length : value.entries.length) < value.length) throw truncated(value, 'repr()');
      items.forEach(checkReprable);
      return;
    }
    case 'cycle': if (value.type === 'list' || value.type === 'dict') return; throw unreadable(value);
    case 'obj': throw needsProgram(`repr() of a ${value.type} (its __repr__)`);
    default: throw unreadable(value);
  }
}

const INT_MAX_STR_DIGITS = 4300;

const REPR_TYPES = new Set(['list', 'tuple', 'set', 'frozenset', 'dict']);

/** The builtin classes a value is an instance of, or a refusal when its class's bases are not recorded. */
function builtinBases(value: ValueNode): string[] {
  switch (value.kind) {
    case 'none': return ['NoneType'];
    case 'bool': return ['bool', 'int'];
    case 'int': case 'bigint': return ['int'];
    case 'float': return ['float'];
    case 'str': return ['str'];
    case 'bytes': case 'seq': case 'map': case 'deep': {
      const bases = KNOWN_BASES[value.type];
      if (bases) return bases;
      break;
    }
    case 'unbound': case 'redacted': case 'error': throw unreadable(value);
    default: break;
  }
  throw new ExpressionError(`isinstance() of a ${pythonType(value)} needs its class's bases, which the recording does not hold`);
}

const KNOWN_BASES: Record<string, string[]> = {
  bytes: ['bytes'], bytearray: ['bytearray'], list: ['list'], tuple: ['tuple'], set: ['set'], frozenset: ['frozenset'], dict: ['dict'],
  'collections.OrderedDict': ['dict'], 'collections.defaultdict': ['dict'], 'collections.Counter': ['dict'], 'collections.deque': [],
};

