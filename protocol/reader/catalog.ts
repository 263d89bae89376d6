// What a trace is about: files (with their recorded source), code objects, threads, exceptions and
// program output. Code objects are cached: they are few and every stack frame names one.
import type { CodeId, ExceptionId, FileId, OutputStream, Seq } from '../schema';
import type { SqlRow } from './backend';
import { CODE_SELECT, toCode } from './rows';
import { int, intOrNull, text, textAsBlob, textOrNull, utf8, type Sql } from './sql';
import type { Code, ExceptionInfo, FileOrigin, OutputChunk, Page, SourceFile, ThreadInfo } from './types';

const EXCEPTION_SELECT = `SELECT x.id, x.type, ${textAsBlob('x.message', 'message')}, x.raised_seq, x.caught_seq, x.escaped_seq, x.uncaught,
  e.invocation AS raised_in, e.line AS raised_line FROM exception x JOIN event e ON e.seq = x.raised_seq`;

export class Catalog {
  private readonly codes = new Map<CodeId, Code>();

  constructor(private readonly sql: Sql) {}

  files(): SourceFile[] {
    return this.sql.all('SELECT id, path, origin, sha256, missing FROM file ORDER BY path').map(toFile);
  }

  fileByPath(path: string): SourceFile | undefined {
    const row = this.sql.get('SELECT id, path, origin, sha256, missing FROM file WHERE path = ?', path);
    return row && toFile(row);
  }

  /** The file's text as it was when recorded; null when not recorded (SourceFile.missing says why). */
  source(file: FileId): string | null {
    const source = this.sql.get(`SELECT ${textAsBlob('source', 'source')} FROM file WHERE id = ?`, file)?.source;
    return source === null || source === undefined ? null : utf8(source);
  }

  code(id: CodeId): Code | undefined {
    let code = this.codes.get(id);
    if (!code) {
      const row = this.sql.get(`${CODE_SELECT} WHERE c.id = ?`, id);
      if (!row) return undefined;
      code = toCode(row);
      this.codes.set(id, code);
    }
    return code;
  }

  /** The code objects of a file, by first line. */
  codesIn(file: FileId): Code[] {
    return this.sql.all(`${CODE_SELECT} WHERE c.file = ? ORDER BY c.first_line, c.id`, file).map(toCode);
  }

  /** Code objects with this qualified name (one per file that defines it). */
  codesNamed(qualname: string): Code[] {
    return this.sql.all(`${CODE_SELECT} WHERE c.qualname = ? ORDER BY f.path, c.first_line`, qualname).map(toCode);
  }

  /** Code objects that have a variable with this name. */
  codesWithVariable(name: string): Code[] {
    return this.sql.all(`${CODE_SELECT} WHERE c.id IN (SELECT code FROM variable WHERE name = ?) ORDER BY f.path, c.first_line`, name)
      .map(toCode);
  }

  threads(): ThreadInfo[] {
    return this.sql.all('SELECT id, ident, name FROM thread ORDER BY id').map((row) => ({
      id: int(row.id),
      ident: int(row.ident),
      name: text(row.name),
    }));
  }

  exception(id: ExceptionId): ExceptionInfo | undefined {
    const row = this.sql.get(`${EXCEPTION_SELECT} WHERE x.id = ?`, id);
    return row && toException(row);
  }

  /** Exceptions in the order they were raised. */
  exceptions(page: Page = { offset: 0, limit: -1 }): ExceptionInfo[] {
    return this.sql.all(`${EXCEPTION_SELECT} ORDER BY x.raised_seq LIMIT ? OFFSET ?`, page.limit, page.offset).map(toException);
  }

  /** What the program wrote to stdout and stderr up to and including seq, in order. */
  outputUpTo(seq: Seq, page: Page = { offset: 0, limit: -1 }): OutputChunk[] {
    return this.sql.all(`SELECT seq, stream, ${textAsBlob('text', 'text')} FROM output WHERE seq <= ? ORDER BY id LIMIT ? OFFSET ?`,
      seq, page.limit, page.offset)
      .map((row) => ({ seq: int(row.seq), stream: int(row.stream) as OutputStream, text: utf8(row.text) }));
  }
}

function toFile(row: SqlRow): SourceFile {
  const path = text(row.path);
  const origin = text(row.origin) as FileOrigin;
  const name = origin === 'string' ? path.slice(0, path.lastIndexOf('#')) : path;
  return { id: int(row.id), path, name, origin, sha256: textOrNull(row.sha256), missing: textOrNull(row.missing) };
}

function toException(row: SqlRow): ExceptionInfo {
  return {
    id: int(row.id),
    type: text(row.type),
    message: utf8(row.message),
    raisedSeq: int(row.raised_seq),
    raisedIn: int(row.raised_in),
    raisedLine: int(row.raised_line),
    caughtSeq: intOrNull(row.caught_seq),
    escapedSeq: intOrNull(row.escaped_seq),
    uncaught: int(row.uncaught) === 1,
  };
}
