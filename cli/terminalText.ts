// Text from a trace made safe to print on a terminal: control characters (C0, DEL, C1) and Unicode
// bidi overrides are shown as escapes (`\x1b`, `\r`, `\u009b`, `\u202e`), so a recorded program or
// someone else's trace cannot move the cursor, retitle the window or reorder what is shown.
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
/** The same, sparing the newline and tab that lay out a multi-line block (program output, a listing). */
const UNSAFE_IN_BLOCK = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One line of text (a name, a path, a value, a message): every control character escaped, newlines too. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** A block of lines (program output, a printer's whole answer): as terminalText, but newlines and tabs kept. */
export function terminalBlock(text: string): string {
  return text.replace(UNSAFE_IN_BLOCK, escape);
}

/**
 * A template literal whose interpolations are terminalText'ed: `${name}` comes from the trace, the
 * literal parts are ours (`terminalLine\`#${i}  ${qualname}\``).
 */
export function terminalLine(literals: TemplateStringsArray, ...values: readonly (string | number)[]): string {
  return literals.reduce((text, literal, i) => text + terminalText(String(values[i - 1])) + literal);
}

function escape(character: string): string {
  const code = character.charCodeAt(0);
  return NAMED[character] ?? (code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}
