// Values at the current stop (the DAP session's cursor): inlay hints and inline values of the stopped
// invocation at the lines that set them, and a variable hover with its value there and its history.
// No debug session, no values: which call's values to show would be a guess (hit counts still can be).
import {
  InlineValueText, MarkupKind, type Hover, type InlayHint, type InlineValue, type InlineValueParams, type Position, type Range,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { frameFromId } from '../../protocol/frameId';
import type { Code, VariableValue } from '../../protocol/reader';
import type { InvocationId, Line, Seq } from '../../protocol/schema';
import { render } from '../../protocol/valueText';
import { enclosingCodes } from '../codeLines';
import type { Feature, ServerContext } from '../server';
import type { DocumentView } from '../traceWorkspace';

/** Longest value text in a hint or inline value; longer ones are cut and end in "…". */
const VALUE_TEXT_MAX = 40;
/** A hover summarizes a variable's history when it has at most this many changes (reading them stays fast). */
const HISTORY_SUMMARY_MAX = 1000;
/** Beyond this many changes a hover says "more than" instead of counting on (counting reads the index: some 6 ms per 100,000 with node:sqlite, 10 times that with sql.js). */
const HISTORY_COUNT_MAX = 10_000;

export const valuesFeature: Feature = {
  capabilities: { inlineValueProvider: true },
  register(context) {
    context.connection.languages.inlineValue.on((params) => inlineValues(context, params));
  },
  inlayHints(context, document, view, range) {
    const cursor = context.workspace.cursor();
    // A client with inline values (VS Code) shows them there: the same values as hints would show twice.
    const valueHints = context.settings().valueHints ?? context.client().textDocument?.inlineValue === undefined;
    const values = cursor && valueHints ? valueLines(view, cursor.invocation, cursor.seq, range) : [];
    const hints: InlayHint[] = values.map(([line, changed]) => ({
      position: { line: line - 1, character: lineText(document, line - 1).length },
      label: changed.map(assignment).join(', '),
      paddingLeft: true,
    }));
    if (context.settings().lineHitHints) hints.push(...hitHints(document, view, range));
    return hints;
  },
  hover(context, document, view, position) {
    return variableHover(context, document, view, position);
  },
};

/** The stopped frame's variables by the document line (1-based) of their latest change, within `range`, in line order. */
function valueLines(view: DocumentView, invocation: InvocationId, seq: Seq, range: Range): [number, VariableValue[]][] {
  const { trace } = view;
  const code = trace.code(trace.invocation(invocation)?.code ?? -1);
  if (code?.file !== view.file.id) return [];
  const byLine = new Map<number, VariableValue[]>();
  for (const value of trace.valuesWithLinesAt(invocation, seq)) {
    if (isDefinition(value)) continue;
    const line = view.lines.toDocument(value.line);
    if (line === undefined || line - 1 < range.start.line || line - 1 > range.end.line) continue;
    byLine.set(line, [...(byLine.get(line) ?? []), value]);
  }
  return [...byLine].sort(([a], [b]) => a - b);
}

/** How many times each line in range ran in the whole recording (the `hindsight.lineHitHints` setting). */
function hitHints(document: TextDocument, view: DocumentView, range: Range): InlayHint[] {
  return view.trace.lineStats(view.file.id).flatMap(({ line: recorded, hits }) => {
    const line = view.lines.toDocument(recorded);
    if (line === undefined || line - 1 < range.start.line || line - 1 > range.end.line) return [];
    return [{ position: { line: line - 1, character: lineText(document, line - 1).length }, label: `${hits} ${hits === 1 ? 'hit' : 'hits'}`, paddingLeft: true }];
  });
}

/**
 * VS Code's inline values for a frame of the hindsight debug session (frameId = the seq of the frame's event).
 * Only a frame of the current stop's stack is answered: a frame id from another debugger means nothing here.
 */
function inlineValues(context: ServerContext, params: InlineValueParams): InlineValue[] {
  const document = context.documents.get(params.textDocument.uri);
  const view = document && context.workspace.view(document);
  const cursor = context.workspace.cursor();
  if (!document || !view || !cursor) return [];
  const frame = frameFromId(view.trace, params.context.frameId, cursor.seq);
  if (!frame || !view.trace.stackAt(cursor.seq).some((onStack) => onStack.seq === params.context.frameId)) return [];
  return valueLines(view, frame.invocation, frame.seq, params.range).flatMap(([line, changed]) => changed.map((value) =>
    InlineValueText.create({ start: { line: line - 1, character: 0 }, end: { line: line - 1, character: lineText(document, line - 1).length } },
      assignment(value))));
}

/** A variable's value at the current stop and a summary of its history, for a name in a function of the trace. */
function variableHover(context: ServerContext, document: TextDocument, view: DocumentView, position: Position): Hover | undefined {
  const text = lineText(document, position.line);
  // A `def` line belongs to the function's own hover (calls and timing).
  if (/^\s*(async\s+)?def\s/.test(text)) return undefined;
  const word = wordAt(text, position.character);
  const recordedLine = view.lines.toRecorded(position.line + 1);
  const source = view.trace.source(view.file.id);
  if (!word || recordedLine === undefined || source === null) return undefined;
  const { trace } = view;
  const owners = new Set(trace.codesWithVariable(word.name).map((code) => code.id));
  const code = enclosingCodes(source, trace.codesIn(view.file.id), recordedLine).find((candidate) => owners.has(candidate.id));
  if (!code) return undefined;
  const parts = [atStop(context, view, code, word.name), history(view, code, word.name)];
  if (view.lines.edited) parts.push('_This file was edited after the recording: lines that changed show nothing._');
  return {
    contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') },
    range: { start: { line: position.line, character: word.start }, end: { line: position.line, character: word.end } },
  };
}

/** The value at the current stop, from the innermost frame of `code` on the stop's stack (a caller's, if the stop is deeper). */
function atStop(context: ServerContext, view: DocumentView, code: Code, name: string): string {
  const cursor = context.workspace.cursor();
  if (!cursor) return `\`${name}\` in \`${code.qualname}\` (no debug stop)`;
  const frame = view.trace.stackAt(cursor.seq).find((candidate) => candidate.code.id === code.id);
  if (!frame) return `\`${name}\` in \`${code.qualname}\`: not on the stack at the current stop`;
  const value = view.trace.valuesAt(frame.invocation, cursor.seq).find((candidate) => candidate.name === name);
  return value ? `${codeSpan(`${name} = ${render(value.value)}`)} at the current stop` : `\`${name}\` is not bound at the current stop`;
}

/** Changes, calls, first and last values, distinct values and lines of a variable over the whole run. */
function history(view: DocumentView, code: Code, name: string): string {
  const { trace } = view;
  const calls = trace.codeStats(view.file.id).find((stats) => stats.code.id === code.id)?.calls ?? 0;
  const ofCalls = `${calls.toLocaleString('en-US')} ${calls === 1 ? 'call' : 'calls'} of \`${code.qualname}\``;
  const size = trace.historySizeUpTo(name, code.id, HISTORY_COUNT_MAX);
  if (size === 0) return `Never set in the recording (${ofCalls}).`;
  if (size > HISTORY_SUMMARY_MAX) {
    const count = size > HISTORY_COUNT_MAX ? `more than ${HISTORY_COUNT_MAX.toLocaleString('en-US')}` : size.toLocaleString('en-US');
    return `In the run: ${count} changes over ${ofCalls}; too many to summarize here (the debugger's variable history lists them).`;
  }
  const changes = trace.history(null, name, code.id);
  const texts = changes.map((change) => render(change.value));
  const invocations = new Set(changes.map((change) => change.invocation)).size;
  const lines = [...new Set(changes.map((change) => change.line))].sort((a, b) => a - b).map((line) => lineName(view, line));
  const first = texts[0] ?? '';
  const last = texts[texts.length - 1] ?? '';
  return [
    `In the run: ${plural(changes.length, 'change')} in ${invocations} of ${ofCalls}`,
    `- first ${codeSpan(first)}, last ${codeSpan(last)}`,
    `- ${plural(new Set(texts).size, 'distinct value')}`,
    `- changed on ${lines.length === 1 ? 'line' : 'lines'} ${lines.join(', ')}`,
  ].join('\n');
}

function lineName(view: DocumentView, recorded: Line): string {
  const line = view.lines.toDocument(recorded);
  return line === undefined ? `${recorded} (recorded; edited since)` : String(line);
}

/** A module's dunders and what `def`, `class` and `import` bind: not data worth a hint on every stop. */
function isDefinition(value: VariableValue): boolean {
  return /^__\w+__$/.test(value.name) || (value.value.kind === 'repr' && ['function', 'type', 'module'].includes(value.value.type));
}

function assignment(value: VariableValue): string {
  return `${value.name} = ${short(render(value.value))}`;
}

function short(text: string): string {
  return text.length > VALUE_TEXT_MAX ? `${text.slice(0, VALUE_TEXT_MAX - 1)}…` : text;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A markdown code span that survives backticks in the text. */
function codeSpan(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${text}${fence === '``' ? ' ' : ''}${fence}`;
}

/** A document line (0-based) without its line end. */
function lineText(document: TextDocument, line: number): string {
  return document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
}

/** The Python identifier under the character, if any (not in a string or comment on that line). */
function wordAt(text: string, character: number): { name: string; start: number; end: number } | undefined {
  for (const match of codeOnly(text).matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    // An attribute (`state.total`) is not the variable `total`.
    if (start <= character && character <= end) return text[start - 1] === '.' ? undefined : { name: match[0], start, end };
  }
  return undefined;
}

/** The line with its string literals and comment blanked out (a string spanning lines is not followed). */
function codeOnly(text: string): string {
  let out = '';
  let quote = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index] ?? '';
    if (quote) {
      if (char === '\\') {
        out += '  ';
        index++;
        continue;
      }
      if (char === quote) quote = '';
      out += ' ';
    } else if (char === '#') {
      return out.padEnd(text.length);
    } else {
      if (char === '"' || char === "'") quote = char;
      out += quote ? ' ' : char;
    }
  }
  return out;
}
