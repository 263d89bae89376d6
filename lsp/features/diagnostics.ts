// Feature: diagnostics from the trace, for every client (pulled where the client can, else pushed).
// An uncaught exception is an Error at its raise, the frames it went through related; handled ones are
// Information, one per raise line, type and handler, with the count; statements never run are faded.
import { pathToFileURL } from 'node:url';
import {
  DiagnosticSeverity, DiagnosticTag, DocumentDiagnosticReportKind, PublishDiagnosticsNotification,
  type Diagnostic, type DiagnosticRelatedInformation, type Range,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { exceptionText } from '../../protocol/exceptionText';
import type { HandledRaises, PassedFrame, SourceFile, Trace } from '../../protocol/reader';
import { splitLines } from '../../protocol/sourceText';
import type { Feature, ServerContext } from '../server';
import type { DocumentView } from '../traceWorkspace';
import { unexecutedStatements } from '../unexecutedLines';

/** A diagnostic in recorded lines, before it is mapped onto a document. */
interface Finding {
  kind: 'uncaught' | 'handled' | 'unexecuted';
  start: number;
  end: number;
  message: string;
  related: { frame: PassedFrame; message: string }[];
}

export const diagnostics: Feature = {
  // Announced only to clients that pull: Neovim pulls whenever a server announces it, even when told not to, and would show both.
  capabilities: (client) => client.textDocument?.diagnostic
    ? { diagnosticProvider: { identifier: 'hindsight', interFileDependencies: false, workspaceDiagnostics: false } }
    : {},
  register(context) {
    const findings = new WeakMap<Trace, Map<number, Finding[]>>();
    const findingsOf = (view: DocumentView): Finding[] => {
      let byFile = findings.get(view.trace);
      if (!byFile) findings.set(view.trace, byFile = new Map());
      let found = byFile.get(view.file.id);
      if (!found) byFile.set(view.file.id, found = findingsIn(view.trace, view.file));
      return found;
    };
    const diagnosticsOf = (document: TextDocument): Diagnostic[] => {
      const view = context.workspace.view(document);
      return view ? toDiagnostics(context, document, view, findingsOf(view)) : [];
    };
    const { connection, documents } = context;
    connection.languages.diagnostics.on((params) => {
      const document = documents.get(params.textDocument.uri);
      return { kind: DocumentDiagnosticReportKind.Full, items: document ? diagnosticsOf(document) : [] };
    });
    // Clients that cannot pull get them pushed: on open and change, when the trace changes, and cleared on close.
    const pushes = () => context.client().textDocument?.diagnostic === undefined;
    const publish = (uri: string, items: Diagnostic[]) => void connection.sendNotification(PublishDiagnosticsNotification.type, { uri, diagnostics: items });
    documents.onDidChangeContent((change) => { if (pushes()) publish(change.document.uri, diagnosticsOf(change.document)); });
    documents.onDidClose((event) => { if (pushes()) publish(event.document.uri, []); });
    context.workspace.onChange((change) => {
      if (change === 'trace' && pushes()) for (const document of documents.all()) publish(document.uri, diagnosticsOf(document));
    });
  },
};

/** Everything the trace says about one recorded file, in recorded lines; settings are applied later. */
function findingsIn(trace: Trace, file: SourceFile): Finding[] {
  // While recording, how exceptions ended is not known yet (finish.sql writes it).
  if (trace.meta().get('status') === 'recording') return [];
  const uncaught = trace.uncaughtIn(file.id).map((exception): Finding => {
    const [, ...callers] = trace.passedFrames(exception.id);
    return {
      kind: 'uncaught', start: exception.raisedLine, end: exception.raisedLine,
      message: `${exceptionText(exception)} (uncaught)`,
      related: callers.map((frame) => ({ frame, message: `through ${frame.code.qualname}` })),
    };
  });
  const handled = trace.handledIn(file.id).map((raises): Finding => ({
    kind: 'handled', start: raises.line, end: raises.line,
    message: handledMessage(trace, file, raises),
    related: raises.caughtIn ? [{ frame: raises.caughtIn, message: 'caught here' }] : [],
  }));
  const unexecuted = unexecutedStatements(trace, file).map((statement): Finding => ({
    kind: 'unexecuted', ...statement, message: 'Never executed in the recorded run', related: [],
  }));
  return [...uncaught, ...handled, ...unexecuted];
}

/** "ValueError: bad input (raised 100 times, each caught in parse_all at line 16)". */
function handledMessage(trace: Trace, file: SourceFile, raises: HandledRaises): string {
  const first = trace.exception(raises.first);
  const text = first ? exceptionText(first) : raises.type;
  const others = raises.messages > 1 ? `first of ${raises.messages} different messages; ` : '';
  const times = raises.count === 1 ? 'raised once' : `raised ${raises.count} times`;
  const each = raises.count === 1 ? '' : 'each ';
  const where = raises.caughtIn;
  const ending = raises.ending === 'caught' && where
    ? `${each}caught in ${where.code.qualname} at ${where.code.file === file.id ? '' : `${where.code.path}:`}line ${where.line}`
    : raises.ending === 'left' ? `${each}handled outside the recorded code` : 'still propagating when recording stopped';
  return `${text} (${others}${times}, ${ending})`;
}

function toDiagnostics(context: ServerContext, document: TextDocument, view: DocumentView, findings: Finding[]): Diagnostic[] {
  const settings = context.settings();
  const shown = findings.filter((finding) => finding.kind === 'uncaught'
    || (finding.kind === 'handled' && settings.handledExceptions) || (finding.kind === 'unexecuted' && settings.fadeUnexecuted));
  const text = splitLines(document.getText());
  return shown.flatMap((finding): Diagnostic[] => {
    const range = mappedRange(text, view, finding.start, finding.end);
    if (!range) return [];
    const diagnostic: Diagnostic = { range, severity: SEVERITY[finding.kind], source: 'hindsight', code: CODE[finding.kind], message: finding.message };
    if (finding.kind === 'unexecuted') diagnostic.tags = [DiagnosticTag.Unnecessary];
    const related = finding.related.flatMap((entry) => relatedLocation(context, view.trace, entry.frame, entry.message));
    if (related.length > 0) diagnostic.relatedInformation = related;
    return [diagnostic];
  });
}

const SEVERITY = { uncaught: DiagnosticSeverity.Error, handled: DiagnosticSeverity.Information, unexecuted: DiagnosticSeverity.Hint };
const CODE = { uncaught: 'uncaught-exception', handled: 'handled-exception', unexecuted: 'never-executed' };

/** The document range of recorded lines start..end, or undefined if any of them changed since recording. */
function mappedRange(text: string[], view: DocumentView, start: number, end: number): Range | undefined {
  const first = view.lines.toDocument(start);
  const last = view.lines.toDocument(end);
  if (first === undefined || last === undefined || last - first !== end - start) return undefined;
  for (let line = start + 1; line < end; line++) if (view.lines.toDocument(line) === undefined) return undefined;
  return codeRange(text[first - 1] ?? '', text[last - 1] ?? '', first, last);
}

/** A related location in the frame's file: mapped through its open document if there is one, else the recorded line. */
function relatedLocation(context: ServerContext, trace: Trace, frame: PassedFrame, message: string): DiagnosticRelatedInformation[] {
  const uri = pathToFileURL(frame.code.path).href;
  const open = context.documents.get(uri);
  const view = open && context.workspace.view(open);
  if (open && view) {
    const range = mappedRange(splitLines(open.getText()), view, frame.line, frame.line);
    return range ? [{ location: { uri, range }, message }] : [];
  }
  const line = splitLines(trace.source(frame.code.file) ?? '')[frame.line - 1] ?? '';
  return [{ location: { uri, range: codeRange(line, line, frame.line, frame.line) }, message }];
}

/** From the first non-blank character of the first line to the end of the last line's code (before a trailing comment). */
function codeRange(firstText: string, lastText: string, first: number, last: number): Range {
  const indent = firstText.length - firstText.trimStart().length;
  return { start: { line: first - 1, character: indent }, end: { line: last - 1, character: codeEnd(lastText) } };
}

/** Where a line's code ends: before a `#` outside quotes, trailing blanks dropped; the whole line if its quotes do not pair. */
function codeEnd(line: string): number {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (line.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = '';
      }
    } else if (c === '#') {
      return line.slice(0, i).trimEnd().length;
    } else if (c === '"' || c === "'") {
      quote = line.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      i += quote.length - 1;
    }
  }
  return line.trimEnd().length;
}
