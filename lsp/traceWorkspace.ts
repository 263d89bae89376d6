// Which trace the language server reads, and where the debugger stands in it: the `hindsight.trace`
// setting, else the newest trace under a workspace folder's .hindsight/. Polled (cheap stat calls), so a
// new trace or a moved cursor is noticed in any editor and on any file system; listeners then refresh.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { readCursor, cursorPath, type CursorRecord } from '../protocol/cursor';
import { Trace, type SourceFile } from '../protocol/reader';
import { defaultTraceDir, listTraces } from '../protocol/traceDir';
import { traceStatusWarning } from '../protocol/traceStatus';
import { lineMap, type LineMap } from './documentLines';

/** What the server knows of one open Python document that the trace recorded. */
export interface DocumentView {
  trace: Trace;
  file: SourceFile;
  lines: LineMap;
}

export type WorkspaceChange = 'trace' | 'cursor';

export interface WorkspaceNotices {
  /** Told once per distinct situation (no trace, a trace that is not whole, a trace that cannot be opened). */
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
}

const POLL_MS = 500;

export class TraceWorkspace {
  private roots: string[] = [];
  private setting: string | undefined;
  private opened: { trace: Trace; stamp: string } | undefined;
  private cursorStamp = '';
  private readonly told = new Set<string>();
  private readonly listeners: ((change: WorkspaceChange) => void)[] = [];
  private readonly views = new Map<string, { version: number; trace: Trace; view: DocumentView | undefined }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly notices: WorkspaceNotices) {}

  /** Sets the workspace folders and the `hindsight.trace` setting (relative to the first folder), then looks again. */
  async configure(roots: string[], setting: string | undefined): Promise<void> {
    this.roots = roots;
    this.setting = setting ? path.resolve(roots[0] ?? process.cwd(), setting) : undefined;
    await this.refresh();
  }

  /** Starts polling for new traces and cursor moves. */
  watch(): void {
    this.timer ??= setInterval(() => {
      // A folder that cannot be listed or stat'ed (permissions) is told once, not thrown out of a timer.
      this.refresh().catch((error: unknown) => this.tellOnce(`poll:${String(error)}`, () => this.notices.error(`Hindsight cannot look for traces: ${(error as Error).message}`)));
    }, POLL_MS);
    this.timer.unref();
  }

  onChange(listener: (change: WorkspaceChange) => void): void {
    this.listeners.push(listener);
  }

  get trace(): Trace | undefined {
    return this.opened?.trace;
  }

  /** Where the debug session stands in this trace, if one wrote a cursor for it. */
  cursor(): CursorRecord | undefined {
    const trace = this.opened?.trace;
    const cursor = trace && readCursor(trace.path);
    return cursor && cursor.trace === trace.path ? cursor : undefined;
  }

  /** The trace's view of a document: undefined for a non-file or non-Python document, or a file the trace did not record. */
  view(document: TextDocument): DocumentView | undefined {
    const trace = this.opened?.trace;
    if (!trace || document.languageId !== 'python' || !document.uri.startsWith('file:')) return undefined;
    const cached = this.views.get(document.uri);
    if (cached && cached.version === document.version && cached.trace === trace) return cached.view;
    const file = trace.fileByPath(filePath(document.uri) ?? '');
    const recorded = file && trace.source(file.id);
    const view = file && recorded !== null && recorded !== undefined ? { trace, file, lines: lineMap(recorded, document.getText()) } : undefined;
    this.views.set(document.uri, { version: document.version, trace, view });
    return view;
  }

  forget(uri: string): void {
    this.views.delete(uri);
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.opened?.trace.close();
    this.opened = undefined;
  }

  /** Opens the trace to read if it changed (a new file, or the same file rewritten), and notices cursor moves. */
  async refresh(): Promise<void> {
    const chosen = this.choose();
    const stamp = chosen ? stampOf(chosen) : '';
    if (stamp !== (this.opened?.stamp ?? '')) {
      this.opened?.trace.close();
      this.opened = undefined;
      this.views.clear();
      if (chosen) {
        let trace: Trace | undefined;
        try {
          trace = await Trace.open(chosen);
          const summary = trace.summary();
          // Served only once it reads: a trace whose rows do not (garbage types) gets no features.
          this.opened = { trace, stamp };
          // A trace still being recorded is looked at again when it grows: only a finished one is worth a warning.
          const warning = summary.status === 'recording' ? undefined : traceStatusWarning(summary);
          if (warning) this.tellOnce(`status:${chosen}:${warning}`, () => this.notices.warning(`Hindsight: ${path.basename(chosen)}: ${warning}.`));
        } catch (error) {
          if (!this.opened) trace?.close();
          this.tellOnce(`error:${stamp}`, () => this.notices.error(`Hindsight cannot read ${chosen}: ${(error as Error).message}`));
        }
      }
      this.emit('trace');
    }
    if (!chosen) this.tellOnce('none', () => this.notices.info(this.setting
      ? `Hindsight: the trace ${this.setting} does not exist (yet).`
      : 'Hindsight: no trace yet. Record one with `hindsight record prog.py` (it lands in .hindsight/).'));
    const cursor = this.opened ? stampOf(cursorPath(this.opened.trace.path)) : '';
    if (cursor !== this.cursorStamp) {
      this.cursorStamp = cursor;
      this.emit('cursor');
    }
  }

  private choose(): string | undefined {
    if (this.setting) return fs.existsSync(this.setting) ? this.setting : undefined;
    const newest = this.roots.flatMap((root) => listTraces(defaultTraceDir(root))).sort((a, b) => b.mtimeMs - a.mtimeMs)[0];
    return newest?.path;
  }

  private emit(change: WorkspaceChange): void {
    for (const listener of this.listeners) listener(change);
  }

  private tellOnce(key: string, tell: () => void): void {
    if (this.told.has(key)) return;
    this.told.add(key);
    tell();
  }
}

/** Path, size and modification time: changes when a file is replaced or rewritten; '' when absent. */
function stampOf(file: string): string {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat ? `${file}:${stat.size}:${stat.mtimeMs}` : '';
}

/** The path of a file: URI, or undefined for one that names no local file (file://host/…, bad escapes). */
function filePath(uri: string): string | undefined {
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
