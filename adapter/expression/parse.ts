// Python expression syntax → Ast, by recursive descent with Python's precedence (conditional, or, and,
// not, comparisons, | ^ &, shifts, + -, * / // % @, unary, **, primaries). Statements, lambdas,
// comprehensions, f-strings and starred items are refused with a sentence.
import type { ValueNode } from '../../protocol/values';
import { ExpressionError } from './errors';
import { numberLiteral, stringLiteral, tokenize, type Token } from './tokens';
import { bytesNode, freshStr } from './nodes';

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '<<' | '>>' | '&' | '|' | '^' | '@';
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'is' | 'is not';

export type Ast =
  | { type: 'name'; name: string }
  | { type: 'constant'; value: ValueNode }
  | { type: 'attribute'; target: Ast; name: string }
  | { type: 'subscript'; target: Ast; index: Ast }
  | { type: 'slice'; lower?: Ast; upper?: Ast; step?: Ast }
  | { type: 'call'; callee: Ast; args: Ast[]; keywords: { name: string; value: Ast }[] }
  | { type: 'unary'; op: '-' | '+' | '~'; operand: Ast }
  | { type: 'binary'; op: BinaryOp; left: Ast; right: Ast }
  | { type: 'compare'; first: Ast; rest: { op: CompareOp; right: Ast }[] }
  | { type: 'not'; operand: Ast }
  | { type: 'bool'; op: 'and' | 'or'; operands: Ast[] }
  | { type: 'conditional'; test: Ast; body: Ast; orelse: Ast }
  | { type: 'display'; kind: 'list' | 'tuple' | 'set'; items: Ast[] }
  | { type: 'dict'; entries: { key: Ast; value: Ast }[] };

/** Parses one expression; throws ExpressionError for a syntax error or a construct Hindsight refuses. */
export function parseExpression(text: string): Ast {
  const ast = new Parser(text).parseAll();
  // Evaluation recurses once per level: a long chain (a.b.c…, 1+1+…) would overflow the stack there.
  if (depthOf(ast) > MAX_DEPTH) throw tooDeep();
  return ast;
}

/** As Python refuses more than 200 nested parentheses (and deeper expressions in its compiler). */
const MAX_DEPTH = 200;

function tooDeep(): ExpressionError {
  return new ExpressionError(`the expression nests more than ${MAX_DEPTH} levels deep`);
}

/** The depth of an Ast, walked without recursion. */
function depthOf(ast: Ast): number {
  let deepest = 0;
  const pending: [Ast | undefined, number][] = [[ast, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (!node) continue;
    deepest = Math.max(deepest, depth);
    for (const child of children(node)) pending.push([child, depth + 1]);
  }
  return deepest;
}

function children(ast: Ast): (Ast | undefined)[] {
  switch (ast.type) {
    case 'name': case 'constant': return [];
    case 'attribute': return [ast.target];
    case 'subscript': return [ast.target, ast.index];
    case 'slice': return [ast.lower, ast.upper, ast.step];
    case 'call': return [ast.callee, ...ast.args, ...ast.keywords.map((keyword) => keyword.value)];
    case 'unary': case 'not': return [ast.operand];
    case 'binary': return [ast.left, ast.right];
    case 'compare': return [ast.first, ...ast.rest.map((part) => part.right)];
    case 'bool': return ast.operands;
    case 'conditional': return [ast.test, ast.body, ast.orelse];
    case 'display': return ast.items;
    case 'dict': return ast.entries.flatMap((entry) => [entry.key, entry.value]);
  }
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else', 'lambda', 'for', 'async', 'await', 'yield', 'None', 'True', 'False',
  'def', 'class', 'return', 'del', 'import', 'from', 'global', 'nonlocal', 'pass', 'while', 'with', 'try', 'except', 'raise', 'assert']);
const MULTIPLICATIVE = new Set(['*', '/', '//', '%', '@']);
const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);

class Parser {
  private readonly tokens: Token[];
  private position = 0;
  /** How deep the descent is: each level is a dozen stack frames, so it is bounded before the stack is. */
  private depth = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  parseAll(): Ast {
    if (this.tokens.length === 0) throw new ExpressionError('the expression is empty');
    const ast = this.tupleOrExpression(() => this.peek() === undefined);
    if (this.peek()) throw this.unexpected();
    return ast;
  }

  /** `a, b` is a tuple at the top level and inside parentheses and brackets. */
  private tupleOrExpression(atEnd: () => boolean): Ast {
    const first = this.expression();
    if (!this.isOp(',')) return first;
    const items = [first];
    while (this.acceptOp(',')) {
      if (atEnd() || this.isOp(')') || this.isOp(']')) break;
      items.push(this.expression());
    }
    return { type: 'display', kind: 'tuple', items };
  }

  private expression(): Ast {
    return this.deeper(() => this.conditional());
  }

  private deeper<T>(parse: () => T): T {
    if (++this.depth > MAX_DEPTH) throw tooDeep();
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private conditional(): Ast {
    if (this.isName('lambda')) throw new ExpressionError('lambda is not supported: Hindsight evaluates expressions on recorded values');
    if (this.isOp('*') || this.isOp('**')) throw new ExpressionError('starred items (*x, **x) are not supported');
    const body = this.or();
    if (this.isOp(':=')) throw new ExpressionError('assignment (:=) is not possible: a recording cannot change');
    if (!this.acceptName('if')) return body;
    const test = this.or();
    if (!this.acceptName('else')) throw new ExpressionError(`expected 'else' in the conditional expression '${this.text}'`);
    return { type: 'conditional', test, body, orelse: this.expression() };
  }

  private or(): Ast {
    const operands = [this.and()];
    while (this.acceptName('or')) operands.push(this.and());
    return operands.length === 1 ? operands[0] as Ast : { type: 'bool', op: 'or', operands };
  }

  private and(): Ast {
    const operands = [this.not()];
    while (this.acceptName('and')) operands.push(this.not());
    return operands.length === 1 ? operands[0] as Ast : { type: 'bool', op: 'and', operands };
  }

  private not(): Ast {
    return this.acceptName('not') ? { type: 'not', operand: this.deeper(() => this.not()) } : this.comparison();
  }

  private comparison(): Ast {
    const first = this.bitOr();
    const rest: { op: CompareOp; right: Ast }[] = [];
    for (;;) {
      const op = this.compareOp();
      if (!op) break;
      rest.push({ op, right: this.bitOr() });
    }
    return rest.length ? { type: 'compare', first, rest } : first;
  }

  private compareOp(): CompareOp | undefined {
    const token = this.peek();
    if (token?.kind === 'op' && COMPARE.has(token.text)) {
      this.position++;
      return token.text as CompareOp;
    }
    if (this.acceptName('in')) return 'in';
    if (this.isName('not') && this.tokens[this.position + 1]?.text === 'in') {
      this.position += 2;
      return 'not in';
    }
    if (this.acceptName('is')) return this.acceptName('not') ? 'is not' : 'is';
    return undefined;
  }

  private bitOr(): Ast { return this.binaryLevel(['|'], () => this.bitXor()); }
  private bitXor(): Ast { return this.binaryLevel(['^'], () => this.bitAnd()); }
  private bitAnd(): Ast { return this.binaryLevel(['&'], () => this.shift()); }
  private shift(): Ast { return this.binaryLevel(['<<', '>>'], () => this.additive()); }
  private additive(): Ast { return this.binaryLevel(['+', '-'], () => this.multiplicative()); }
  private multiplicative(): Ast { return this.binaryLevel([...MULTIPLICATIVE], () => this.unary()); }

  private binaryLevel(ops: string[], operand: () => Ast): Ast {
    let left = operand();
    for (let token = this.peek(); token?.kind === 'op' && ops.includes(token.text); token = this.peek()) {
      this.position++;
      left = { type: 'binary', op: token.text as BinaryOp, left, right: operand() };
    }
    return left;
  }

  private unary(): Ast {
    for (const op of ['-', '+', '~'] as const) {
      if (this.acceptOp(op)) return { type: 'unary', op, operand: this.deeper(() => this.unary()) };
    }
    return this.power();
  }

  /** `**` binds tighter than a unary minus on its left and looser on its right: -2**-1 == -(2**(-1)). */
  private power(): Ast {
    const base = this.primary();
    return this.acceptOp('**') ? { type: 'binary', op: '**', left: base, right: this.deeper(() => this.unary()) } : base;
  }

  private primary(): Ast {
    let ast = this.atom();
    for (;;) {
      if (this.acceptOp('.')) {
        const name = this.take();
        if (name.kind !== 'name' || KEYWORDS.has(name.text)) throw new ExpressionError(`expected an attribute name after '.' in '${this.text}'`);
        ast = { type: 'attribute', target: ast, name: name.text };
      } else if (this.acceptOp('[')) {
        ast = { type: 'subscript', target: ast, index: this.subscript() };
        this.expectOp(']');
      } else if (this.acceptOp('(')) {
        ast = this.call(ast);
      } else {
        return ast;
      }
    }
  }

  private subscript(): Ast {
    const items = [this.sliceOrExpression()];
    let comma = false;
    while (this.acceptOp(',')) {
      comma = true;
      if (this.isOp(']')) break;
      items.push(this.sliceOrExpression());
    }
    return comma ? { type: 'display', kind: 'tuple', items } : items[0] as Ast;
  }

  private sliceOrExpression(): Ast {
    const lower = this.isOp(':') ? undefined : this.expression();
    if (!this.acceptOp(':')) return lower as Ast;
    const upper = this.isOp(':') || this.isOp(']') || this.isOp(',') ? undefined : this.expression();
    let step: Ast | undefined;
    if (this.acceptOp(':') && !this.isOp(']') && !this.isOp(',')) step = this.expression();
    return { type: 'slice', lower, upper, step };
  }

  private call(callee: Ast): Ast {
    const args: Ast[] = [];
    const keywords: { name: string; value: Ast }[] = [];
    while (!this.acceptOp(')')) {
      const name = this.peek();
      if (name?.kind === 'name' && this.tokens[this.position + 1]?.text === '=') {
        this.position += 2;
        keywords.push({ name: name.text, value: this.expression() });
      } else {
        if (keywords.length) throw new ExpressionError(`a positional argument follows a keyword argument in '${this.text}'`);
        args.push(this.expression());
      }
      if (this.isName('for')) throw comprehension();
      if (!this.acceptOp(',')) {
        this.expectOp(')');
        break;
      }
    }
    return { type: 'call', callee, args, keywords };
  }

  private atom(): Ast {
    const token = this.take();
    if (token.kind === 'number') return { type: 'constant', value: numberLiteral(token.text) };
    if (token.kind === 'string') return { type: 'constant', value: this.strings(token) };
    if (token.kind === 'name') {
      if (token.text === 'None') return { type: 'constant', value: { kind: 'none' } };
      if (token.text === 'True' || token.text === 'False') return { type: 'constant', value: { kind: 'bool', value: token.text === 'True' } };
      if (token.text === 'await' || token.text === 'yield') throw new ExpressionError(`'${token.text}' is not possible: a recording cannot run code`);
      if (KEYWORDS.has(token.text)) throw this.unexpected(token);
      return { type: 'name', name: token.text };
    }
    switch (token.text) {
      case '(': {
        if (this.acceptOp(')')) return { type: 'display', kind: 'tuple', items: [] };
        const inner = this.tupleOrExpression(() => false);
        if (this.isName('for')) throw comprehension();
        this.expectOp(')');
        return inner;
      }
      case '[': return { type: 'display', kind: 'list', items: this.items(']') };
      case '{': return this.braces();
      default: throw this.unexpected(token);
    }
  }

  private items(close: string): Ast[] {
    const items: Ast[] = [];
    while (!this.acceptOp(close)) {
      items.push(this.expression());
      if (this.isName('for')) throw comprehension();
      if (!this.acceptOp(',')) {
        this.expectOp(close);
        break;
      }
    }
    return items;
  }

  private braces(): Ast {
    if (this.acceptOp('}')) return { type: 'dict', entries: [] };
    const first = this.expression();
    if (this.isName('for')) throw comprehension();
    if (!this.acceptOp(':')) {
      const rest = this.acceptOp(',') ? this.items('}') : (this.expectOp('}'), []);
      return { type: 'display', kind: 'set', items: [first, ...rest] };
    }
    const entries = [{ key: first, value: this.expression() }];
    if (this.isName('for')) throw comprehension();
    while (this.acceptOp(',') && !this.isOp('}')) {
      const key = this.expression();
      this.expectOp(':');
      entries.push({ key, value: this.expression() });
    }
    this.expectOp('}');
    return { type: 'dict', entries };
  }

  /** Adjacent literals concatenate ('a' 'b'); str and bytes cannot mix. */
  private strings(first: Token): ValueNode {
    const parts = [stringLiteral(first.text)];
    while (this.peek()?.kind === 'string') parts.push(stringLiteral(this.take().text));
    const bytes = parts.every((part) => part.bytes);
    if (!bytes && parts.some((part) => part.bytes)) throw new ExpressionError('SyntaxError: cannot mix bytes and nonbytes literals');
    const text = parts.map((part) => part.text).join('');
    return bytes ? bytesNode('bytes', text) : freshStr(text);
  }

  private unexpected(token = this.peek()): ExpressionError {
    if (token?.text === '=') return new ExpressionError('assignment is not possible: a recording cannot change (use == to compare)');
    return new ExpressionError(`SyntaxError: unexpected '${token?.text ?? 'end'}' in '${this.text}'`);
  }

  private peek(): Token | undefined { return this.tokens[this.position]; }
  private isOp(text: string): boolean { const token = this.peek(); return token?.kind === 'op' && token.text === text; }
  private isName(text: string): boolean { const token = this.peek(); return token?.kind === 'name' && token.text === text; }

  private take(): Token {
    const token = this.tokens[this.position++];
    if (!token) throw new ExpressionError(`SyntaxError: '${this.text}' ends too early`);
    return token;
  }

  private acceptOp(text: string): boolean {
    if (!this.isOp(text)) return false;
    this.position++;
    return true;
  }

  private acceptName(text: string): boolean {
    if (!this.isName(text)) return false;
    this.position++;
    return true;
  }

  private expectOp(text: string): void {
    if (!this.acceptOp(text)) throw this.peek() ? this.unexpected() : new ExpressionError(`SyntaxError: '${text}' is missing in '${this.text}'`);
  }
}

function comprehension(): ExpressionError {
  return new ExpressionError('comprehensions are not supported: Hindsight evaluates expressions on recorded values without loops');
}
