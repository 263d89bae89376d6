// A safe subset of Python expressions over recorded values (hover, watch, REPL, breakpoint conditions):
// names, attributes, indexing by constants, literals, comparisons, not/and/or. Nothing is ever executed.
import type { ValueNode } from '../protocol/values';

/** A failure to show the user as is ("name 'x' is not recorded here", "… is not supported yet"). */
export class ExpressionError extends Error {}

/** Looks a name up in the frame being inspected (locals, then globals); undefined when not recorded. */
export type NameLookup = (name: string) => ValueNode | undefined;

type Ast =
  | { type: 'name'; name: string }
  | { type: 'constant'; value: ValueNode }
  | { type: 'attribute'; target: Ast; name: string }
  | { type: 'index'; target: Ast; key: ValueNode }
  | { type: 'compare'; first: Ast; rest: { op: CompareOp; right: Ast }[] }
  | { type: 'not'; operand: Ast }
  | { type: 'bool'; op: 'and' | 'or'; operands: Ast[] };

type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

const SUPPORTED = 'Hindsight evaluates names, attributes, indexing with int or str constants, literals, comparisons and not/and/or on recorded values, and never runs code';

/** Parses an expression; throws ExpressionError for a syntax error or anything outside the subset. */
export function parseExpression(text: string): Ast {
  return new Parser(text).parseAll();
}

/** Evaluates a parsed expression on recorded values. */
export function evaluateAst(ast: Ast, lookup: NameLookup): ValueNode {
  switch (ast.type) {
    case 'name': {
      const value = lookup(ast.name);
      if (!value) throw new ExpressionError(`name '${ast.name}' is not recorded in this frame`);
      return value;
    }
    case 'constant':
      return ast.value;
    case 'attribute':
      return attribute(evaluateAst(ast.target, lookup), ast.name);
    case 'index':
      return index(evaluateAst(ast.target, lookup), ast.key);
    case 'compare': {
      let left = evaluateAst(ast.first, lookup);
      for (const { op, right } of ast.rest) {
        const value = evaluateAst(right, lookup);
        if (!compare(left, op, value)) return { kind: 'bool', value: false };
        left = value;
      }
      return { kind: 'bool', value: true };
    }
    case 'not':
      return { kind: 'bool', value: !truthy(evaluateAst(ast.operand, lookup)) };
    case 'bool': {
      let value: ValueNode = { kind: 'none' };
      for (const operand of ast.operands) {
        value = evaluateAst(operand, lookup);
        if (truthy(value) === (ast.op === 'or')) return value;
      }
      return value;
    }
  }
}

/** Parses and evaluates in one go. */
export function evaluateExpression(text: string, lookup: NameLookup): ValueNode {
  return evaluateAst(parseExpression(text), lookup);
}

/** Python truthiness of a recorded value; throws when the recording cannot tell. */
export function truthy(node: ValueNode): boolean {
  switch (node.kind) {
    case 'none': return false;
    case 'bool': return node.value;
    case 'int': return node.value !== 0;
    case 'bigint': return node.digits !== '0';
    case 'float': return node.value !== 0;
    case 'str': case 'bytes': case 'seq': case 'deep': return node.length > 0;
    case 'map': return node.length > 0;
    case 'obj': case 'repr': case 'cycle': return true;
    default: throw new ExpressionError(`the truth value of a ${node.kind} value is not recorded`);
  }
}

function attribute(target: ValueNode, name: string): ValueNode {
  if (target.kind === 'obj') {
    const found = target.attributes.find((attribute) => attribute.name === name);
    if (found) return found.value;
    if (target.attributes.length < target.count) throw new ExpressionError(`attribute '${name}' was not recorded (truncated: ${target.attributes.length} of ${target.count} attributes)`);
    throw new ExpressionError(`the recorded ${target.type} has no attribute '${name}'`);
  }
  if (target.kind === 'deep') throw new ExpressionError(`the attributes of this ${target.type} were not recorded (depth cap)`);
  throw new ExpressionError(`attributes of a ${target.kind === 'map' || target.kind === 'seq' ? target.type : target.kind} value are not supported yet`);
}

function index(target: ValueNode, key: ValueNode): ValueNode {
  if (target.kind === 'seq') {
    if (key.kind !== 'int') throw new ExpressionError(`${target.type} indices must be integers`);
    const position = key.value < 0 ? target.length + key.value : key.value;
    if (position < 0 || position >= target.length) throw new ExpressionError(`${target.type} index out of range (length ${target.length})`);
    const item = target.items[position];
    if (!item) throw new ExpressionError(`item ${key.value} was not recorded (truncated: ${target.items.length} of ${target.length} items)`);
    return item;
  }
  if (target.kind === 'map') {
    const found = target.entries.find((entry) => equal(entry.key, key) === true);
    if (found) return found.value;
    if (target.entries.length < target.length) throw new ExpressionError(`that key was not recorded (truncated: ${target.entries.length} of ${target.length} items)`);
    throw new ExpressionError(`KeyError: the recorded ${target.type} has no such key`);
  }
  if (target.kind === 'deep') throw new ExpressionError(`the items of this ${target.type} were not recorded (depth cap)`);
  throw new ExpressionError(`indexing a ${target.kind === 'obj' ? target.type : target.kind} value is not supported yet`);
}

function compare(left: ValueNode, op: CompareOp, right: ValueNode): boolean {
  if (op === '==' || op === '!=') {
    const same = equal(left, right);
    if (same === undefined) throw new ExpressionError(`comparing ${left.kind} and ${right.kind} values is not supported yet`);
    return op === '==' ? same : !same;
  }
  const a = orderable(left);
  const b = orderable(right);
  if (a === undefined || b === undefined || typeof a !== typeof b) throw new ExpressionError(`'${op}' between ${left.kind} and ${right.kind} values is not supported yet`);
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
  }
}

/** Python == for scalars; undefined when the recording cannot decide (containers, objects). */
function equal(left: ValueNode, right: ValueNode): boolean | undefined {
  const a = orderable(left);
  const b = orderable(right);
  if (a !== undefined && b !== undefined) return typeof a === typeof b && a === b;
  if (left.kind === 'none' || right.kind === 'none') return left.kind === right.kind;
  if (left.kind === 'bigint' && right.kind === 'bigint') return left.digits === right.digits;
  if ((left.kind === 'bigint' && a !== undefined) || (right.kind === 'bigint' && b !== undefined)) return false;
  return undefined;
}

function orderable(node: ValueNode): number | string | undefined {
  switch (node.kind) {
    case 'int': case 'float': return node.value;
    case 'bool': return node.value ? 1 : 0;
    case 'str': return node.truncated ? undefined : node.text;
    default: return undefined;
  }
}

/** A recursive-descent parser for the subset; tokens come from one regular expression. */
class Parser {
  private readonly tokens: string[];
  private position = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  parseAll(): Ast {
    if (this.tokens.length === 0) throw new ExpressionError('the expression is empty');
    const ast = this.or();
    if (this.peek() !== undefined) throw this.unsupported(this.peek() ?? '');
    return ast;
  }

  private or(): Ast {
    const operands = [this.and()];
    while (this.accept('or')) operands.push(this.and());
    return operands.length === 1 ? operands[0] as Ast : { type: 'bool', op: 'or', operands };
  }

  private and(): Ast {
    const operands = [this.not()];
    while (this.accept('and')) operands.push(this.not());
    return operands.length === 1 ? operands[0] as Ast : { type: 'bool', op: 'and', operands };
  }

  private not(): Ast {
    return this.accept('not') ? { type: 'not', operand: this.not() } : this.comparison();
  }

  private comparison(): Ast {
    const first = this.primary();
    const rest: { op: CompareOp; right: Ast }[] = [];
    for (let op = this.peek(); isCompareOp(op); op = this.peek()) {
      this.position++;
      rest.push({ op, right: this.primary() });
    }
    return rest.length ? { type: 'compare', first, rest } : first;
  }

  private primary(): Ast {
    let ast = this.atom();
    for (;;) {
      if (this.accept('.')) {
        const name = this.take();
        if (!isName(name)) throw new ExpressionError(`expected an attribute name after '.' in '${this.text}'`);
        ast = { type: 'attribute', target: ast, name };
      } else if (this.accept('[')) {
        const key = this.constant(this.take());
        if (!key || (key.kind !== 'int' && key.kind !== 'str')) throw new ExpressionError(`indexing with anything but an int or str constant is not supported yet. ${SUPPORTED}.`);
        if (!this.accept(']')) throw new ExpressionError(`slices and compound subscripts are not supported yet. ${SUPPORTED}.`);
        ast = { type: 'index', target: ast, key };
      } else if (this.peek() === '(') {
        throw new ExpressionError(`calls are not supported yet (a recording cannot run code). ${SUPPORTED}.`);
      } else {
        return ast;
      }
    }
  }

  private atom(): Ast {
    const token = this.take();
    if (token === '(') {
      const inner = this.or();
      if (!this.accept(')')) throw new ExpressionError(`tuples and unbalanced parentheses are not supported yet. ${SUPPORTED}.`);
      return inner;
    }
    const constant = this.constant(token);
    if (constant) return { type: 'constant', value: constant };
    if (isName(token) && !KEYWORDS.has(token)) return { type: 'name', name: token };
    throw this.unsupported(token);
  }

  /** A literal constant (with an optional leading minus for numbers), or undefined. */
  private constant(token: string): ValueNode | undefined {
    if (token === 'None') return { kind: 'none' };
    if (token === 'True' || token === 'False') return { kind: 'bool', value: token === 'True' };
    if (token === '-') {
      const number = this.constant(this.take());
      if (number?.kind === 'int') return { kind: 'int', value: -number.value };
      if (number?.kind === 'float') return { kind: 'float', value: -number.value, repr: `-${number.repr}` };
      throw new ExpressionError(`arithmetic is not supported yet. ${SUPPORTED}.`);
    }
    if (/^\d[\d_]*$/.test(token)) {
      const value = Number(token.replace(/_/g, ''));
      if (!Number.isSafeInteger(value)) throw new ExpressionError(`integers beyond 2**53 are not supported yet`);
      return { kind: 'int', value };
    }
    if (/^(\d[\d_]*\.\d*|\.\d+)([eE][+-]?\d+)?$|^\d+[eE][+-]?\d+$/.test(token)) {
      const value = Number(token.replace(/_/g, ''));
      return { kind: 'float', value, repr: token };
    }
    if (/^(['"])/.test(token)) return { kind: 'str', text: unquote(token), length: [...unquote(token)].length, truncated: false };
    return undefined;
  }

  private unsupported(token: string): ExpressionError {
    return new ExpressionError(`'${token}' in '${this.text}' is not supported yet. ${SUPPORTED}.`);
  }

  private peek(): string | undefined {
    return this.tokens[this.position];
  }

  private take(): string {
    const token = this.tokens[this.position++];
    if (token === undefined) throw new ExpressionError(`'${this.text}' ends too early`);
    return token;
  }

  private accept(token: string): boolean {
    if (this.peek() !== token) return false;
    this.position++;
    return true;
  }
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'lambda', 'if', 'else', 'for', 'None', 'True', 'False', 'await', 'yield']);
const TOKEN = /\s*(?:((?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|([A-Za-z_\p{L}][\w\p{L}\p{N}]*)|('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")|(==|!=|<=|>=|\*\*|\/\/|:=|->|[-+*/%@&|^~<>()[\]{}.,:;=!]))/uy;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) throw new ExpressionError(`cannot read '${text.slice(start).trim()}': ${SUPPORTED}.`);
    tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4] ?? '');
  }
  return tokens;
}

function isName(token: string | undefined): token is string {
  return token !== undefined && /^[A-Za-z_\p{L}][\w\p{L}\p{N}]*$/u.test(token);
}

function isCompareOp(token: string | undefined): token is CompareOp {
  return token === '==' || token === '!=' || token === '<' || token === '<=' || token === '>' || token === '>=';
}

/** The text of a simple string literal (escapes \\n \\t \\\\ \\' \\"). */
function unquote(token: string): string {
  return token.slice(1, -1).replace(/\\(.)/g, (_, char: string) => ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[char] ?? char);
}
