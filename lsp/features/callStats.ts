// Feature: call statistics per function — a CodeLens on each function that ran ("4 calls · 1 raised ·
// avg 17 µs / max 36 µs", clicking goes to a call), the same text as an inlay hint after the def line
// (Helix and other clients without CodeLens, or the callCountHints setting), and a hover on the def line.
import { ErrorCodes, MarkupKind, ResponseError, type CodeLens, type InlayHint, type Position, type Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeStats, Trace } from '../../protocol/reader';
import { splitLines } from '../../protocol/sourceText';
import { humanDuration } from '../duration';
import { GO_TO_CALL, goToCall, type GoToCallArguments } from '../goToCall';
import type { Feature, ServerContext } from '../server';
import type { DocumentView } from '../traceWorkspace';

/** A function that ran, where it stands in the document (1-based lines). */
interface Placed {
  stats: CodeStats;
  /** The code's first line (co_firstlineno: the first decorator of a decorated function). */
  firstLine: number;
  /** The `def` line itself. */
  defLine: number;
}

export const callStats: Feature = {
  capabilities: { codeLensProvider: { resolveProvider: false }, executeCommandProvider: { commands: [GO_TO_CALL] } },

  register(context) {
    context.connection.onCodeLens((params) => {
      const document = context.documents.get(params.textDocument.uri);
      const view = document && context.workspace.view(document);
      return view ? placed(view).flatMap((function_) => lenses(view.trace, function_)) : [];
    });
    context.connection.onExecuteCommand((params) => {
      if (params.command !== GO_TO_CALL) throw new ResponseError(ErrorCodes.InvalidParams, `unknown command '${params.command}' (this server runs ${GO_TO_CALL})`);
      return goToCall(context, params.arguments?.[0]);
    });
  },

  inlayHints(context, document, view, range) {
    if (!hintsWanted(context)) return [];
    return placed(view)
      .filter(({ defLine }) => defLine - 1 >= range.start.line && defLine - 1 <= range.end.line)
      .map(({ stats, defLine }): InlayHint => ({
        position: { line: defLine - 1, character: lineText(document, defLine - 1).length },
        label: summary(stats),
        paddingLeft: true,
      }));
  },

  hover(_context, document, view, position) {
    const function_ = placed(view).find(({ firstLine, defLine }) => position.line + 1 >= firstLine && position.line + 1 <= defLine);
    return function_ && { contents: { kind: MarkupKind.Markdown, value: hoverText(view.trace, function_.stats) }, range: lineRange(document, position) };
  },
};

/**
 * "4 calls · 1 raised · avg 17 µs / max 36 µs": invocations (a generator consumed once is 1), timed from
 * call to return or raise. Calls that did neither (a generator left suspended, a frame still running when
 * recording stopped) have no duration: "of K ended" when some did, "none ended" when none did.
 */
function summary(stats: CodeStats): string {
  const counts = `${stats.calls} ${stats.calls === 1 ? 'call' : 'calls'} · ${stats.raised} raised`;
  if (stats.timed === 0) return `${counts} · none ended`;
  const times = `avg ${humanDuration(stats.totalNs / stats.timed)} / max ${humanDuration(stats.maxNs)}`;
  return stats.timed === stats.calls ? `${counts} · ${times}` : `${counts} · ${times} of ${stats.timed} ended`;
}

/** Hints by default only where lenses cannot be shown; the setting overrides. */
function hintsWanted(context: ServerContext): boolean {
  return context.settings().callCountHints ?? context.client().textDocument?.codeLens === undefined;
}

/**
 * The functions and methods of the document that ran, at their document lines. Module and class bodies
 * are not calls, lambdas and comprehensions have no def line; a function whose first or def line changed
 * since recording is left out. Functions that never ran are not in the trace's aggregates: no lens.
 */
function placed(view: DocumentView): Placed[] {
  const recorded = splitLines(view.trace.source(view.file.id) ?? '');
  const result: Placed[] = [];
  for (const stats of codeStatsOf(view)) {
    const { kind, name, firstLine: first } = stats.code;
    if (kind === 'module' || kind === 'class' || name.startsWith('<') || stats.calls === 0) continue;
    const def = defLineOf(recorded, first);
    const firstLine = view.lines.toDocument(first);
    const defLine = def === undefined ? undefined : view.lines.toDocument(def);
    if (firstLine !== undefined && defLine !== undefined) result.push({ stats, firstLine, defLine });
  }
  return result;
}

/** A trace object is one immutable file (a new or rewritten trace is opened anew), so its aggregates are read once per file. */
const statsByTrace = new WeakMap<Trace, Map<number, CodeStats[]>>();

function codeStatsOf({ trace, file }: DocumentView): CodeStats[] {
  let byFile = statsByTrace.get(trace);
  if (!byFile) statsByTrace.set(trace, byFile = new Map());
  let stats = byFile.get(file.id);
  if (!stats) byFile.set(file.id, stats = trace.codeStats(file.id));
  return stats;
}

/** The `def` line at or after a code's first line (past its decorators), in the recorded source. */
function defLineOf(recorded: string[], firstLine: number): number | undefined {
  for (let line = firstLine; line <= recorded.length; line++) {
    const text = recorded[line - 1] ?? '';
    if (/^\s*(async\s+)?def\b/.test(text)) return line;
    if (!/^\s*(@|#|$)/.test(text) && line > firstLine) return undefined;
  }
  return undefined;
}

function lenses(trace: Trace, { stats, firstLine }: Placed): CodeLens[] {
  const range: Range = { start: { line: firstLine - 1, character: 0 }, end: { line: firstLine - 1, character: 0 } };
  const lens = (title: string, invocation: number): CodeLens =>
    ({ range, command: { title, command: GO_TO_CALL, arguments: [{ trace: trace.path, invocation } satisfies GoToCallArguments] } });
  const result = [lens(summary(stats), stats.first)];
  if (stats.calls > 1 && stats.slowest !== null) result.push(lens('slowest', stats.slowest));
  if (stats.firstRaised !== null) result.push(lens('first raise', stats.firstRaised));
  return result;
}

function hoverText(trace: Trace, stats: CodeStats): string {
  const total = stats.timed > 0 ? ` · total ${humanDuration(stats.totalNs)}` : '';
  const text = [`**${stats.code.qualname}** · ${summary(stats)}${total}`];
  const raised = trace.raisedBy(stats.code.id);
  if (raised.length) {
    text.push('', 'Ended by:');
    for (const { type, times, first } of raised) {
      const exception = trace.exception(first);
      const site = exception && trace.invocation(exception.raisedIn);
      const where = site && trace.code(site.code);
      const at = exception && where ? ` — first raised at ${baseName(where.path)}:${exception.raisedLine} in \`${where.qualname}\`` : '';
      text.push(`- \`${type}\` ×${times}${at}${exception?.message ? `: ${inlineCode(exception.message)}` : ''}`);
    }
  }
  return text.join('\n');
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** A message as a one-line code span (backticks inside it would end the span early). */
function inlineCode(text: string): string {
  const line = text.split('\n')[0] ?? '';
  const fence = line.includes('`') ? '``' : '`';
  return `${fence} ${line.length > 120 ? `${line.slice(0, 120)}…` : line} ${fence}`;
}

function lineText(document: TextDocument, line: number): string {
  return document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
}

function lineRange(document: TextDocument, position: Position): Range {
  return { start: { line: position.line, character: 0 }, end: { line: position.line, character: lineText(document, position.line).length } };
}
