// Display text for recorded values: render(node) gives Python-like text ([1, 2], {'a': 1},
// Point(x=1, y=2), 'text'), typeName(node) the Python type name. Truncation is always said.
import type { ValueNode } from './values';

/** Python-like text for a value node; what was not recorded is marked "… (truncated, N …)". */
export function render(node: ValueNode): string {
  switch (node.kind) {
    case 'none':
      return 'None';
    case 'bool':
      return node.value ? 'True' : 'False';
    case 'int':
      return String(node.value);
    case 'bigint':
      return node.digits;
    case 'float':
      return node.repr;
    case 'str':
      return pythonStrRepr(node.text) + (node.truncated ? `…${truncation(node.length, 'characters')}` : '');
    case 'bytes':
      return renderBytes(node.type, node.text) + (node.truncated ? `…${truncation(node.length, 'bytes')}` : '');
    case 'seq':
      return renderSeq(node.type, node.items.map(render), node.length);
    case 'map': {
      const entries = node.entries.map((entry) => `${render(entry.key)}: ${render(entry.value)}`);
      return wrap(node.type, 'dict', `{${withTruncation(entries, node.length, 'items')}}`);
    }
    case 'obj': {
      if (node.value) return renderSubclass(node.type, node.value);
      if (node.exception) return renderException(node.type, node.attributes[0]?.value);
      const attributes = node.attributes.map((attribute) => `${attribute.name}=${render(attribute.value)}`);
      return `${shortTypeName(node.type)}(${withTruncation(attributes, node.count, 'attributes')})`;
    }
    case 'repr':
      return node.text;
    case 'cycle':
      return enclose(node.type, '...');
    case 'deep':
      return enclose(node.type, `… ${node.length} ${node.length === 1 ? 'item' : 'items'}`);
    case 'unbound':
      return '<unbound>';
    case 'redacted':
      return '<redacted>';
    case 'error':
      return `<unavailable: ${node.reason}>`;
  }
}

/** The Python type name of the value ('int', 'list', 'shop.Cart'); '' for unbound and redacted. */
export function typeName(node: ValueNode): string {
  switch (node.kind) {
    case 'none':
      return 'NoneType';
    case 'bool':
      return 'bool';
    case 'int':
    case 'bigint':
      return 'int';
    case 'float':
      return 'float';
    case 'str':
      return 'str';
    case 'unbound':
    case 'redacted':
      return '';
    default:
      return node.type;
  }
}

/** Python's repr() of a str: single quotes unless the text has ' and no ", escapes as Python does. */
export function pythonStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\\' || char === quote) out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (char !== ' ' && /[\p{C}\p{Z}]/u.test(char)) out += hexEscape(code);
    else out += char;
  }
  return out + quote;
}

/** As Python's repr of a subclass that keeps its base's: the base value's ('n' for Symbol('n')), but a
 * bytearray subclass's names its own class. */
function renderSubclass(type: string, value: ValueNode): string {
  return value.kind === 'bytes' && value.type === 'bytearray' ? render({ ...value, type }) : render(value);
}

/** As BaseException.__repr__: ValueError('bad 2') for one argument, ValueError() or KeyError('k', 2) otherwise. */
function renderException(type: string, args: ValueNode | undefined): string {
  const name = shortTypeName(type);
  if (args?.kind !== 'seq') return `${name}${args ? render(args) : '()'}`;  // args not expanded: the depth cap
  const items = args.items.map(render);
  if (args.length === 1 && items.length === 1) return `${name}(${items[0]})`;
  return `${name}(${withTruncation(items, args.length, 'items')})`;
}

function renderBytes(type: string, latin1: string): string {
  const quote = latin1.includes("'") && !latin1.includes('"') ? '"' : "'";
  let body = '';
  for (const char of latin1) {
    const code = char.charCodeAt(0);
    if (char === '\\' || char === quote) body += `\\${char}`;
    else if (char === '\n') body += '\\n';
    else if (char === '\r') body += '\\r';
    else if (char === '\t') body += '\\t';
    else if (code < 0x20 || code >= 0x7f) body += hexEscape(code);
    else body += char;
  }
  const literal = `b${quote}${body}${quote}`;
  return type === 'bytes' ? literal : `${shortTypeName(type)}(${literal})`;
}

function renderSeq(type: string, items: string[], length: number): string {
  if (length === 0 && type === 'set') return 'set()';
  if (length === 0 && type === 'frozenset') return 'frozenset()';
  const body = withTruncation(items, length, 'items');
  if (type === 'tuple') return length === 1 && items.length === 1 ? `(${body},)` : `(${body})`;
  if (type === 'set') return `{${body}}`;
  if (type === 'frozenset') return `frozenset({${body}})`;
  if (type === 'collections.deque') return `deque([${body}])`;
  return wrap(type, 'list', `[${body}]`);
}

/** A container's text inside its brackets, for a node whose items were not recorded. */
function enclose(type: string, inner: string): string {
  switch (type) {
    case 'list':
      return `[${inner}]`;
    case 'tuple':
      return `(${inner})`;
    case 'dict':
    case 'set':
      return `{${inner}}`;
    default:
      return `${shortTypeName(type)}(${inner})`;
  }
}

function wrap(type: string, builtin: string, literal: string): string {
  return type === builtin ? literal : `${shortTypeName(type)}(${literal})`;
}

function withTruncation(parts: string[], length: number, unit: string): string {
  if (length <= parts.length) return parts.join(', ');
  return [...parts, `…${truncation(length, unit)}`].join(', ');
}

function truncation(length: number, unit: string): string {
  return ` (truncated, ${length} ${unit})`;
}

/** 'shop.Cart' → 'Cart', 'f.<locals>.Point' → 'Point'. */
function shortTypeName(type: string): string {
  return type.slice(type.lastIndexOf('.') + 1);
}

function hexEscape(code: number): string {
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\U${code.toString(16).padStart(8, '0')}`;
}
