// Renders docs/trace-format.md from protocol/schema.sql (its header, each table with its comment and
// columns, the LIFECYCLE section) and finish.sql's indexes. The SQL files' comments are the source.
import { SCHEMA_VERSION } from '../protocol/schema';

export const TRACE_FORMAT_DOC = 'docs/trace-format.md';

/** The Markdown for the text of schema.sql and finish.sql. */
export function traceFormatDoc(schemaSql: string, finishSql: string): string {
  const blocks = schemaSql.replace(/\r\n/g, '\n').split(/\n\s*\n/).map((block) => block.trim()).filter(Boolean);
  const out = [
    '# Trace format',
    '',
    '<!-- Generated from protocol/schema.sql by `npm run docs`; edit the schema, not this file. -->',
    '',
    `Schema version **${SCHEMA_VERSION}** (\`PRAGMA user_version\`). Value encoding: \`protocol/values.md\`. ` +
      'Indexes and aggregates: `protocol/finish.sql`.',
    '',
  ];
  for (const [index, block] of blocks.entries()) {
    const lines = block.split('\n');
    const comment = lines.filter((line) => line.startsWith('--')).map((line) => line.replace(/^-- ?/, ''));
    const sql = lines.filter((line) => !line.startsWith('--')).join('\n');
    const table = /CREATE TABLE (\w+) \(([\s\S]*)\)/.exec(sql);
    if (table) {
      out.push(`## \`${table[1]}\``, '', ...prose(comment), ...columns(table[2] ?? ''), '');
    } else if (index === 0) {
      out.push(...prose(comment));
    } else if (comment.length) {
      const title = /^([A-Z][A-Z ]+): /.exec(comment[0] ?? '');
      const heading = title?.[1] ? title[1][0] + title[1].slice(1).toLowerCase() : 'Notes';
      const body = title ? [(comment[0] ?? '').slice(title[0].length), ...comment.slice(1)] : comment;
      out.push(`## ${heading}`, '', ...prose(body));
    }
  }
  out.push('## Indexes', '', 'Built by `protocol/finish.sql` when recording ends (or when a reader finishes the trace of a writer that died):', '');
  for (const match of finishSql.matchAll(/CREATE INDEX IF NOT EXISTS (\w+) ON (.+);/g)) out.push(`- \`${match[1]}\` on \`${match[2]}\``);
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** Comment lines as Markdown: indented lines become text blocks, the rest paragraphs. */
function prose(comment: string[]): string[] {
  const out: string[] = [];
  let paragraph: string[] = [];
  let preformatted: string[] = [];
  const flush = () => {
    if (paragraph.length) out.push(paragraph.join(' '), '');
    if (preformatted.length) out.push('```text', ...preformatted, '```', '');
    paragraph = [];
    preformatted = [];
  };
  for (const line of comment) {
    if (/^\s/.test(line)) {
      if (paragraph.length) flush();
      preformatted.push(line);
    } else {
      if (preformatted.length) flush();
      if (line.trim()) paragraph.push(line.trim());
      else flush();
    }
  }
  flush();
  return out;
}

/** The column definitions as a table (table constraints such as PRIMARY KEY (a, b) as a last row). */
function columns(body: string): string[] {
  const rows = body.split(/,\n/).map((line) => line.trim()).filter(Boolean);
  const out = ['| column | type and constraints |', '| --- | --- |'];
  for (const row of rows) {
    const match = /^(\w+)\s*(.*)$/.exec(row);
    const isConstraint = /^(PRIMARY|UNIQUE|FOREIGN|CHECK)\b/.test(row);
    if (isConstraint || !match) out.push(`| *table* | \`${row}\` |`);
    else out.push(`| \`${match[1]}\` | ${match[2] ? `\`${match[2]}\`` : 'any type'} |`);
  }
  return [...out, ''];
}
