// Python expression tokens and literal values: numbers (ints of any size, floats, 0x/0o/0b, `_`),
// str and bytes literals with their prefixes and escapes. f-strings and complex numbers are refused.
import type { ValueNode } from '../../protocol/values';
import { ExpressionError } from './errors';
import { floatNode, intNode } from './nodes';

export interface Token { kind: 'number' | 'string' | 'name' | 'op'; text: string }

const NUMBER = String.raw`0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*\.(?:\d(?:_?\d)*)?|\.\d(?:_?\d)*|\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?[jJ]?`;
const STRING = String.raw`(?:[rRbBuUfF]{1,2})?(?:'''(?:[^\\]|\\[\s\S])*?'''|"""(?:[^\\]|\\[\s\S])*?"""|'(?:[^'\\\n]|\\[\s\S])*'|"(?:[^"\\\n]|\\[\s\S])*")`;
const NAME = String.raw`[A-Za-z_\p{L}][\w\p{L}\p{N}]*`;
const OP = String.raw`\*\*|//|<<|>>|<=|>=|==|!=|:=|->|[-+*/%@&|^~<>()[\]{}.,:;=!]`;
const TOKEN = new RegExp(String.raw`\s*(?:(${STRING})|(${NUMBER})|(${NAME})|(${OP}))`, 'uy');

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) throw new ExpressionError(`SyntaxError: cannot read '${text.slice(start).trim()}'`);
    if (match[1] !== undefined) tokens.push({ kind: 'string', text: match[1] });
    else if (match[2] !== undefined) tokens.push({ kind: 'number', text: match[2] });
    else if (match[3] !== undefined) tokens.push({ kind: 'name', text: match[3] });
    else tokens.push({ kind: 'op', text: match[4] ?? '' });
  }
  return tokens;
}

export function numberLiteral(token: string): ValueNode {
  const digits = token.replace(/_/g, '');
  if (/[jJ]$/.test(digits)) throw new ExpressionError('complex numbers are not supported');
  if (/^0[xXoObB]/.test(digits)) return intNode(BigInt(digits));
  if (/^\d+$/.test(digits)) {
    if (/^0+[1-9]/.test(digits)) throw new ExpressionError('SyntaxError: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers');
    return intNode(BigInt(digits));
  }
  // JavaScript's Number() rounds a decimal literal correctly, as CPython's parser does.
  return floatNode(Number(digits));
}

/** A string or bytes literal's value; prefixes r, b, u (f-strings are refused: they run code). */
export function stringLiteral(token: string): { text: string; bytes: boolean } {
  const prefix = /^[a-zA-Z]*/.exec(token)?.[0].toLowerCase() ?? '';
  if (prefix.includes('f')) throw new ExpressionError('f-strings are not supported: their {…} parts are evaluated as code');
  const quote = token.slice(prefix.length, prefix.length + 3);
  const triple = quote === "'''" || quote === '"""';
  const body = token.slice(prefix.length + (triple ? 3 : 1), token.length - (triple ? 3 : 1));
  const bytes = prefix.includes('b');
  if (bytes && /[^\x00-\x7f]/.test(body)) throw new ExpressionError('SyntaxError: bytes can only contain ASCII literal characters');
  return { text: prefix.includes('r') ? body : unescape(body, bytes), bytes };
}

const SIMPLE_ESCAPES: Record<string, string> = { '\n': '', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function unescape(body: string, bytes: boolean): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\}|[\s\S])/g, (whole, escape: string) => {
    const simple = SIMPLE_ESCAPES[escape];
    if (simple !== undefined) return simple;
    if (escape[0] === 'x') return String.fromCharCode(parseInt(escape.slice(1), 16));
    if (/^[0-7]/.test(escape)) return String.fromCodePoint(parseInt(escape, 8) & (bytes ? 0xff : 0x1ff));
    if (bytes) return whole;
    if (escape[0] === 'u' || escape[0] === 'U') {
      const code = parseInt(escape.slice(1), 16);
      if (code > 0x10ffff) throw new ExpressionError(`SyntaxError: illegal Unicode character \\${escape}`);
      return String.fromCodePoint(code);
    }
    if (escape[0] === 'N') throw new ExpressionError('\\N{…} escapes are not supported');
    return whole;
  });
}
