// Python expressions on recorded values, for hover, watch, the REPL, breakpoint conditions and log
// points: parse (expression/parse.ts), then evaluate (expression/evaluate.ts). Nothing is ever executed.
import type { ValueNode } from '../protocol/values';
import { ExpressionError } from './expression/errors';
import { evaluateAst, type NameLookup } from './expression/evaluate';
import { isComputed } from './expression/nodes';
import { parseExpression } from './expression/parse';

export { ExpressionError };
export { truthy } from './expression/compare';
export { evaluateAst, type NameLookup, parseExpression };

/** Parses and evaluates in one go; throws ExpressionError with a sentence for the user. */
export function evaluateExpression(text: string, lookup: NameLookup): ValueNode {
  const value = evaluateAst(parseExpression(text), lookup);
  if (hasComputedSet(value)) {
    throw new ExpressionError("a set built by the expression is shown in an order that depends on Python's hashing: not shown (use sorted(...), or test it with in or ==)");
  }
  return value;
}

/** A computed set of 2+ items, anywhere in a computed result (recorded sets keep their recorded order). */
function hasComputedSet(value: ValueNode): boolean {
  if (!isComputed(value)) return false;
  if (value.kind === 'seq') return ((value.type === 'set' || value.type === 'frozenset') && value.length > 1) || value.items.some(hasComputedSet);
  if (value.kind === 'map') return value.entries.some((entry) => hasComputedSet(entry.key) || hasComputedSet(entry.value));
  return false;
}
