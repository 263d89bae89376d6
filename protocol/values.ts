// Recorded values (protocol/values.md): decodes value_change.value into a ValueNode, and renders a
// node as Python-like text. Never throws on odd input: an undecodable value becomes an 'error' node.
import type { SqlValue } from './schema';

export { render, typeName, pythonStrRepr } from './valueText';

/** What SQL `typeof(value)` says; needed because both backends return JS numbers for 1 and 1.0. */
export type SqlType = 'integer' | 'real' | 'text' | 'blob' | 'null';

export type ValueNode =
  | { kind: 'none' }
  | { kind: 'bool'; value: boolean }
  /** An int with |v| < 2**53. */
  | { kind: 'int'; value: number }
  /** An int beyond ±2**53, in decimal. */
  | { kind: 'bigint'; digits: string }
  /** repr is Python's repr of the float ('1.5', 'nan', '-0.0', '1e+16'). */
  | { kind: 'float'; value: number; repr: string }
  /** length counts code points, as Python's len(); truncated when text is only a prefix. */
  | { kind: 'str'; text: string; length: number; truncated: boolean }
  /** text holds the bytes recorded, one character per byte (Latin-1). */
  | { kind: 'bytes'; type: string; text: string; length: number; truncated: boolean }
  /** count and attributes: a subclass instance's own attributes, when it has some (as for 'obj'). */
  | { kind: 'seq'; type: string; id: number; length: number; items: ValueNode[]; count?: number; attributes?: Attribute[] }
  | { kind: 'map'; type: string; id: number; length: number; entries: MapEntry[]; count?: number; attributes?: Attribute[] }
  /**
   * count is the number of attributes the object had; attributes the recorded ones. value: an instance of
   * a str, int, float, complex, bytes or bytearray subclass, its value as the base type. exception: its
   * repr is BaseException's, made from its args (the first attribute).
   */
  | { kind: 'obj'; type: string; id: number; count: number; attributes: Attribute[]; value?: ValueNode; exception?: boolean }
  | { kind: 'repr'; type: string; text: string }
  | { kind: 'cycle'; type: string; id: number }
  | { kind: 'deep'; type: string; id: number; length: number }
  | { kind: 'unbound' }
  | { kind: 'redacted' }
  | { kind: 'error'; type: string; reason: string };

export interface MapEntry { key: ValueNode; value: ValueNode }
export interface Attribute { name: string; value: ValueNode }

const UTF8 = new TextDecoder('utf-8');
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a top-level value_change.value given with its SQL `typeof()` (TEXT may come as its UTF-8 bytes). */
export function decodeValue(value: SqlValue, sqlType: SqlType): ValueNode {
  switch (sqlType) {
    case 'null':
      return { kind: 'none' };
    case 'integer':
      return { kind: 'int', value: Number(value) };
    case 'real':
      return { kind: 'float', value: Number(value), repr: floatRepr(Number(value)) };
    case 'text': {
      const text = value instanceof Uint8Array ? UTF8.decode(value) : String(value);
      return { kind: 'str', text, length: codePointCount(text), truncated: false };
    }
    case 'blob':
      return value instanceof Uint8Array ? decodeBlob(value) : undecodable(`a BLOB arrived as ${typeof value}`);
  }
}

/** Decodes a BLOB holding one value node as UTF-8 JSON. */
export function decodeBlob(bytes: Uint8Array): ValueNode {
  let json: unknown;
  try {
    json = JSON.parse(STRICT_UTF8.decode(bytes));
  } catch (error) {
    return undecodable(`the value is not UTF-8 JSON (${(error as Error).message})`);
  }
  return decodeNode(json);
}

/** Decodes one JSON value node (the format of values.md). */
export function decodeNode(json: unknown): ValueNode {
  if (json === null) return { kind: 'none' };
  if (typeof json === 'boolean') return { kind: 'bool', value: json };
  if (typeof json === 'number') {
    return Number.isInteger(json) ? { kind: 'int', value: json } : { kind: 'float', value: json, repr: floatRepr(json) };
  }
  if (typeof json === 'string') return { kind: 'str', text: json, length: codePointCount(json), truncated: false };
  if (!Array.isArray(json) || typeof json[0] !== 'string') return undecodable(`unknown node ${JSON.stringify(json)}`);
  return decodeTagged(json[0], json.slice(1)) ?? undecodable(`malformed node ${JSON.stringify(json).slice(0, 200)}`);
}

function decodeTagged(tag: string, a: unknown[]): ValueNode | undefined {
  switch (tag) {
    case 'float':
      return isStr(a[0]) ? { kind: 'float', value: parsePythonFloat(a[0]), repr: a[0] } : undefined;
    case 'int':
      return isStr(a[0]) ? { kind: 'bigint', digits: a[0] } : undefined;
    case 'str':
      return isStr(a[0]) && isNum(a[1])
        ? { kind: 'str', text: a[0], length: a[1], truncated: a[1] > codePointCount(a[0]) }
        : undefined;
    case 'bytes':
      return isStr(a[0]) && isStr(a[1]) && isNum(a[2])
        ? { kind: 'bytes', type: a[0], text: a[1], length: a[2], truncated: a[2] > a[1].length }
        : undefined;
    case 'seq':
      return isStr(a[0]) && isNum(a[1]) && isNum(a[2]) && Array.isArray(a[3])
        ? { kind: 'seq', type: a[0], id: a[1], length: a[2], items: a[3].map(decodeNode), ...ownAttributes(a[4], a[5]) }
        : undefined;
    case 'map':
      return isStr(a[0]) && isNum(a[1]) && isNum(a[2]) && Array.isArray(a[3]) && a[3].every(isPair)
        ? { kind: 'map', type: a[0], id: a[1], length: a[2], entries: a[3].map(([k, v]) => ({ key: decodeNode(k), value: decodeNode(v) })), ...ownAttributes(a[4], a[5]) }
        : undefined;
    case 'obj':
    case 'exc':
      return isStr(a[0]) && isNum(a[1]) && isNum(a[2]) && isAttributes(a[3])
        ? { kind: 'obj', type: a[0], id: a[1], count: a[2], attributes: decodeAttributes(a[3]), ...(tag === 'exc' ? { exception: true } : {}) }
        : undefined;
    case 'sub':
      return isStr(a[0]) && isNum(a[1]) && isNum(a[3]) && isAttributes(a[4])
        ? { kind: 'obj', type: a[0], id: a[1], count: a[3], attributes: decodeAttributes(a[4]), value: decodeNode(a[2]) }
        : undefined;
    case 'repr':
      return isStr(a[0]) && isStr(a[1]) ? { kind: 'repr', type: a[0], text: a[1] } : undefined;
    case 'cycle':
      return isStr(a[0]) && isNum(a[1]) ? { kind: 'cycle', type: a[0], id: a[1] } : undefined;
    case 'deep':
      return isStr(a[0]) && isNum(a[1]) && isNum(a[2]) ? { kind: 'deep', type: a[0], id: a[1], length: a[2] } : undefined;
    case 'unbound':
      return { kind: 'unbound' };
    case 'redacted':
      return { kind: 'redacted' };
    case 'error':
      return isStr(a[0]) && isStr(a[1]) ? { kind: 'error', type: a[0], reason: a[1] } : undefined;
    default:
      return undefined;
  }
}

/** Python's repr of a float: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function floatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa = '', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  const sign = value < 0 ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const exponentDigits = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${exponentDigits}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction || '0'}`;
}

function parsePythonFloat(repr: string): number {
  if (repr === 'nan' || repr === '-nan') return Number.NaN;
  if (repr === 'inf') return Number.POSITIVE_INFINITY;
  if (repr === '-inf') return Number.NEGATIVE_INFINITY;
  return Number(repr);
}

/** A seq or map node's optional trailing count and attributes (a subclass instance's own); none in older traces. */
function ownAttributes(count: unknown, attributes: unknown): { count?: number; attributes?: Attribute[] } {
  return isNum(count) && isAttributes(attributes) ? { count, attributes: decodeAttributes(attributes) } : {};
}

function isAttributes(value: unknown): value is [string, unknown][] {
  return Array.isArray(value) && value.every(isNamedPair);
}

function decodeAttributes(pairs: [string, unknown][]): Attribute[] {
  return pairs.map(([name, v]) => ({ name, value: decodeNode(v) }));
}

function undecodable(reason: string): ValueNode {
  return { kind: 'error', type: '', reason: `this reader cannot decode the recorded value: ${reason}` };
}

function codePointCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function isStr(value: unknown): value is string {
  return typeof value === 'string';
}

function isNum(value: unknown): value is number {
  return typeof value === 'number';
}

function isPair(value: unknown): value is [unknown, unknown] {
  return Array.isArray(value) && value.length === 2;
}

function isNamedPair(value: unknown): value is [string, unknown] {
  return isPair(value) && typeof value[0] === 'string';
}
