// Evaluates a parsed expression on recorded values, node by node, with Python's evaluation order and
// short-circuits. Names resolve to the frame's locals, then its globals, then the builtins; a name,
// attribute or item recorded as redacted stops the evaluation, saying so.
import { render, type ValueNode } from '../../protocol/values';
import { attribute, subscript, type SliceBounds } from './access';
import { builtinNames, builtinValue, callBuiltin, type Keywords } from './builtins';
import { contains, equals, identical, order, requireHashable, sameKey, truthy } from './compare';
import { ExpressionError, needsProgram } from './errors';
import { boolNode, dictNode, seqNode } from './nodes';
import { binary, unary } from './operators';
import type { Ast, CompareOp } from './parse';

/** Looks a name up in the frame being inspected (locals, then globals); undefined when not recorded. */
export type NameLookup = (name: string) => ValueNode | undefined;

export function evaluateAst(ast: Ast, lookup: NameLookup): ValueNode {
  const evaluate = (inner: Ast) => evaluateAst(inner, lookup);
  switch (ast.type) {
    case 'name': {
      const value = lookup(ast.name) ?? builtinValue(ast.name);
      if (!value) throw new ExpressionError(`name '${ast.name}' is not recorded in this frame`);
      return notRedacted(value, ast);
    }
    case 'constant': return ast.value;
    case 'attribute': return notRedacted(attribute(evaluate(ast.target), ast.name), ast);
    case 'subscript': {
      const target = evaluate(ast.target);
      return notRedacted(subscript(target, ast.index.type === 'slice' ? sliceBounds(ast.index, lookup) : evaluate(ast.index)), ast);
    }
    case 'slice': throw new ExpressionError('a slice (a:b) is only valid inside [ ]');
    case 'call': return call(ast, lookup);
    case 'unary': return unary(ast.op, evaluate(ast.operand));
    case 'binary': return binary(ast.op, evaluate(ast.left), evaluate(ast.right));
    case 'compare': {
      let left = evaluate(ast.first);
      for (const { op, right } of ast.rest) {
        const value = evaluate(right);
        if (!compare(left, op, value)) return boolNode(false);
        left = value;
      }
      return boolNode(true);
    }
    case 'not': return boolNode(!truthy(evaluate(ast.operand)));
    case 'bool': {
      let value: ValueNode = { kind: 'none' };
      for (const operand of ast.operands) {
        value = evaluate(operand);
        if (truthy(value) === (ast.op === 'or')) return value;
      }
      return value;
    }
    case 'conditional': return truthy(evaluate(ast.test)) ? evaluate(ast.body) : evaluate(ast.orelse);
    case 'display': {
      const items = ast.items.map(evaluate);
      return seqNode(ast.kind, ast.kind === 'set' ? distinct(items) : items);
    }
    case 'dict': {
      const entries: { key: ValueNode; value: ValueNode }[] = [];
      for (const entry of ast.entries) {
        const key = evaluate(entry.key);
        const value = evaluate(entry.value);
        requireHashable(key);
        // A repeated key keeps its first position and takes the last value, as in Python.
        const existing = entries.find((candidate) => sameKey(candidate.key, key));
        if (existing) existing.value = value;
        else entries.push({ key, value });
      }
      return dictNode(entries);
    }
  }
}

/**
 * A redacted value has no value to compute with: `x is None` or a log point's `{x}` must not answer
 * as if it had one, so the expression fails there (a condition then counts as failed, with this message).
 */
function notRedacted(value: ValueNode, ast: Ast): ValueNode {
  if (value.kind === 'redacted') throw new ExpressionError(`${spelled(ast)} is redacted in this trace (recorded with secret redaction)`);
  return value;
}

/** How a name, attribute or item reads in Python source: `password`, `self.key`, `config['token']`. */
function spelled(ast: Ast): string {
  switch (ast.type) {
    case 'name': return ast.name;
    case 'constant': return render(ast.value);
    case 'attribute': return `${spelled(ast.target)}.${ast.name}`;
    case 'subscript': return `${spelled(ast.target)}[${ast.index.type === 'slice' ? '…' : spelled(ast.index)}]`;
    default: return '(…)';
  }
}

function compare(left: ValueNode, op: CompareOp, right: ValueNode): boolean {
  switch (op) {
    case '==': return equals(left, right);
    case '!=': return !equals(left, right);
    case 'in': return contains(right, left);
    case 'not in': return !contains(right, left);
    case 'is': return identical(left, right);
    case 'is not': return !identical(left, right);
    default: return order(left, right, op);
  }
}

/** Builtins only: a name the frame does not shadow. Methods and the program's functions would run its code. */
function call(ast: Extract<Ast, { type: 'call' }>, lookup: NameLookup): ValueNode {
  const { callee } = ast;
  if (callee.type === 'attribute') throw needsProgram(`calling method '${callee.name}'`);
  if (callee.type !== 'name') throw needsProgram('calling a value');
  const own = lookup(callee.name);
  if (own) throw needsProgram(`calling '${callee.name}' (a ${own.kind === 'repr' ? own.type : 'value'} of the program)`);
  if (!builtinValue(callee.name)) throw new ExpressionError(`${callee.name}() is not one of the builtins Hindsight computes (${builtinNames().join(', ')}), and nothing else can run on a recording`);
  const args = ast.args.map((arg) => evaluateAst(arg, lookup));
  const keywords: Keywords = {};
  for (const keyword of ast.keywords) keywords[keyword.name] = evaluateAst(keyword.value, lookup);
  return callBuiltin(callee.name, args, keywords);
}

function sliceBounds(ast: Extract<Ast, { type: 'slice' }>, lookup: NameLookup): SliceBounds {
  const part = (inner: Ast | undefined) => (inner ? evaluateAst(inner, lookup) : undefined);
  return { start: part(ast.lower), stop: part(ast.upper), step: part(ast.step) };
}

/** A set display's items without duplicates (the first of equal items stays). */
function distinct(items: ValueNode[]): ValueNode[] {
  const kept: ValueNode[] = [];
  for (const item of items) {
    requireHashable(item);
    if (!kept.some((other) => sameKey(other, item))) kept.push(item);
  }
  return kept;
}
