// The statements of a Python source, found by a tokenizer-level scan (strings, f-strings, comments,
// brackets, backslash continuations): each logical line's first and last line and its code with
// string contents blanked and comments dropped. Used to tell code lines from the rest without Python.
import { asPythonReadsIt } from '../protocol/sourceText';

export interface Statement {
  /** First and last line (1-based) of the logical line. */
  start: number;
  end: number;
  /** Its code: comments removed, string literals kept as their quotes only ('' or ""). */
  code: string;
}

/** Logical lines in order, or undefined when the source does not scan cleanly (unclosed string or bracket). */
export function pythonStatements(source: string): Statement[] | undefined {
  const scanner = new Scanner(asPythonReadsIt(source));
  return scanner.run() ? scanner.statements : undefined;
}

/** A replacement field of an f-string: code until its closing brace at bracket depth 0. */
interface Field {
  depth: number;
}

class Scanner {
  readonly statements: Statement[] = [];
  private i = 0;
  private line = 1;
  private depth = 0;
  private code = '';
  private start = 0;

  constructor(private readonly text: string) {}

  run(): boolean {
    const text = this.text;
    while (this.i < text.length) {
      const c = text[this.i] ?? '';
      if (c === '#') this.skipComment();
      else if (c === '\\' && text[this.i + 1] === '\n') {
        this.i += 2;
        this.line++;
      } else if (c === '\n') {
        if (this.depth === 0) this.endStatement();
        else this.code += ' ';
        this.i++;
        this.line++;
      } else if (this.stringStart()) {
        if (!this.string(undefined)) return false;
      } else {
        if ('([{'.includes(c)) this.depth++;
        if (')]}'.includes(c) && --this.depth < 0) return false;
        if (!/\s/.test(c) && this.start === 0) this.start = this.line;
        this.code += c;
        this.i++;
      }
    }
    this.endStatement();
    return this.depth === 0;
  }

  private skipComment(): void {
    while (this.i < this.text.length && this.text[this.i] !== '\n') this.i++;
  }

  private endStatement(): void {
    if (this.start) this.statements.push({ start: this.start, end: this.line, code: this.code.trim() });
    this.start = 0;
    this.code = '';
  }

  /** The length of a string prefix + opening quote at i, or 0 when no string starts here. */
  private stringStart(): number {
    const match = /^([rRbBuUfFtT]{0,2})('''|"""|'|")/.exec(this.text.slice(this.i, this.i + 5));
    if (!match || !/^[^\w]?$/.test(this.text[this.i - 1] ?? '')) return 0;
    return match[0].length;
  }

  /** Consumes a string literal at i (inside an f-string field when `field` is given); false when unclosed. */
  private string(field: Field | undefined): boolean {
    const opening = /^([rRbBuUfFtT]{0,2})('''|"""|'|")/.exec(this.text.slice(this.i, this.i + 5));
    if (!opening) return false;
    const prefix = (opening[1] ?? '').toLowerCase();
    const quote = opening[2] ?? '';
    const formatted = prefix.includes('f') || prefix.includes('t');
    if (this.start === 0 && !field) this.start = this.line;
    this.code += prefix + quote[0] + quote[0];
    this.i += opening[0].length;
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      // A backslash keeps the next character in the string, raw strings included (r"\"" is one quote).
      if (c === '\\') {
        if (this.text[this.i + 1] === '\n') this.line++;
        this.i += 2;
      } else if (this.text.startsWith(quote, this.i)) {
        this.i += quote.length;
        return true;
      } else if (c === '\n') {
        if (quote.length === 1) return false;
        this.line++;
        this.i++;
      } else if (formatted && c === '{') {
        if (this.text[this.i + 1] === '{') this.i += 2;
        else if (!this.field()) return false;
      } else {
        this.i++;
      }
    }
    return false;
  }

  /** Consumes an f-string replacement field from its `{` to its `}` (nested strings and fields included). */
  private field(): boolean {
    const field: Field = { depth: 0 };
    this.i++;
    while (this.i < this.text.length) {
      const c = this.text[this.i] ?? '';
      if (c === '\n') this.line++;
      if (this.stringStart()) {
        if (!this.string(field)) return false;
        continue;
      }
      if ('([{'.includes(c)) field.depth++;
      else if (c === '}' && field.depth === 0) {
        this.i++;
        return true;
      } else if (')]}'.includes(c)) field.depth--;
      this.i++;
    }
    return false;
  }
}
