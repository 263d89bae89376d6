// Arithmetic operators on values: numbers (numbers.ts), str/bytes/list/tuple concatenation and
// repetition, bitwise ops on ints and bools. A class's own operators (__add__…) would run its code: refused.
import type { ValueNode } from '../../protocol/values';
import { ExpressionError, needsProgram, pyError } from './errors';
import { arithmetic, numberOf, numNode, toFloat } from './numbers';
import { boolNode, bytesNode, codePoints, freshStr, intNode, pythonType, RESULT_CAP, seqNode, unreadable } from './nodes';
import type { BinaryOp } from './parse';

export function binary(op: BinaryOp, left: ValueNode, right: ValueNode): ValueNode {
  const a = numberOf(left);
  const b = numberOf(right);
  if (a && b) {
    if (left.kind === 'bool' && right.kind === 'bool' && (op === '&' || op === '|' || op === '^')) {
      return boolNode(op === '&' ? left.value && right.value : op === '|' ? left.value || right.value : left.value !== right.value);
    }
    return numNode(arithmetic(op, a, b));
  }
  for (const node of [left, right]) {
    if (node.kind === 'obj' || node.kind === 'repr') throw needsProgram(`'${op}' on a ${node.type} (its ${OPERATOR_METHODS[op]})`);
    if (node.kind === 'deep' || node.kind === 'cycle' || node.kind === 'unbound' || node.kind === 'redacted' || node.kind === 'error') throw unreadable(node);
    if ((node.kind === 'seq' || node.kind === 'map') && !SEQUENCE_TYPES.has(node.type)) throw needsProgram(`'${op}' on a ${node.type} (its ${OPERATOR_METHODS[op]})`);
  }
  if (op === '+') {
    const joined = concatenate(left, right);
    if (joined) return joined;
  }
  if (op === '*') {
    const repeated = b?.kind === 'int' ? repeat(left, b.value) : a?.kind === 'int' ? repeat(right, a.value) : undefined;
    if (repeated) return repeated;
  }
  if ((left.kind === 'seq' || left.kind === 'map') && (right.kind === 'seq' || right.kind === 'map') && ['|', '&', '-', '^'].includes(op)) {
    throw new ExpressionError(`'${op}' on ${pythonType(left)} and ${pythonType(right)} (set and dict operators) is not supported`);
  }
  if (op === '%' && (left.kind === 'str' || left.kind === 'bytes')) throw new ExpressionError("printf-style formatting ('…' % x) is not supported");
  throw pyError('TypeError', `unsupported operand type(s) for ${op}: '${pythonType(left)}' and '${pythonType(right)}'`);
}

export function unary(op: '-' | '+' | '~', operand: ValueNode): ValueNode {
  const num = numberOf(operand);
  if (num?.kind === 'int') return intNode(op === '-' ? -num.value : op === '~' ? ~num.value : num.value);
  if (num?.kind === 'float' && op !== '~') return numNode({ kind: 'float', value: op === '-' ? -toFloat(num) : num.value });
  if (operand.kind === 'obj' || operand.kind === 'repr') throw needsProgram(`unary ${op} on a ${operand.type}`);
  throw pyError('TypeError', `bad operand type for unary ${op}: '${pythonType(operand)}'`);
}

/** Types whose + and * are the builtin sequence ones. */
const SEQUENCE_TYPES = new Set(['list', 'tuple', 'set', 'frozenset', 'dict']);

const OPERATOR_METHODS: Record<BinaryOp, string> = {
  '+': '__add__', '-': '__sub__', '*': '__mul__', '/': '__truediv__', '//': '__floordiv__', '%': '__mod__', '**': '__pow__',
  '<<': '__lshift__', '>>': '__rshift__', '&': '__and__', '|': '__or__', '^': '__xor__', '@': '__matmul__',
};

/** a + b for str, bytes, list and tuple; the result keeps what is known when only b was cut short. */
function concatenate(a: ValueNode, b: ValueNode): ValueNode | undefined {
  if (a.kind === 'str' && b.kind === 'str') {
    if (a.truncated) throw truncatedLeft(a.length);
    return freshStr(a.text + b.text, a.length + b.length);
  }
  if (a.kind === 'bytes' && b.kind === 'bytes') {
    if (a.truncated) throw truncatedLeft(a.length);
    return bytesNode(a.type, a.text + b.text, a.length + b.length);
  }
  if (a.kind === 'seq' && b.kind === 'seq' && a.type === b.type && (a.type === 'list' || a.type === 'tuple')) {
    if (a.items.length < a.length) throw truncatedLeft(a.length);
    return seqNode(a.type, [...a.items, ...b.items], a.length + b.length);
  }
  return undefined;
}

function truncatedLeft(length: number): ExpressionError {
  return new ExpressionError(`the left operand was cut short by the recorder's cap (${length} items): its concatenation is not known`);
}

/** s * n for str, bytes, list, tuple (n ≤ 0 gives an empty value); a cut-short value keeps its known prefix. */
function repeat(node: ValueNode, times: bigint): ValueNode | undefined {
  const count = times > 0n ? times : 0n;
  const length = (size: number) => {
    const total = BigInt(size) * count;
    if (total > BigInt(Number.MAX_SAFE_INTEGER)) throw new ExpressionError('the repeated value would have more than 2**53 items: not computed');
    return Number(total);
  };
  const copies = (size: number, shown: number) => (shown < size ? 1 : Math.min(Number(count), Math.ceil(RESULT_CAP / Math.max(1, size))));
  if (node.kind === 'str') {
    return freshStr(node.text.repeat(count === 0n ? 0 : copies(node.length, codePoints(node.text).length)), length(node.length));
  }
  if (node.kind === 'bytes') return bytesNode(node.type, node.text.repeat(count === 0n ? 0 : copies(node.length, node.text.length)), length(node.length));
  if (node.kind === 'seq' && (node.type === 'list' || node.type === 'tuple')) {
    const items: ValueNode[] = [];
    for (let i = 0; count > 0n && i < copies(node.length, node.items.length); i++) items.push(...node.items);
    return seqNode(node.type, items, length(node.length));
  }
  return undefined;
}
