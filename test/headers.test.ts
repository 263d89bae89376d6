// STYLE rule "every source file starts with a 1–3 line comment saying what it owns", enforced for
// .ts/.js/.mjs/.cjs/.py/.lua files (after a #! line), node_modules and build output excepted.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from './support/recordings';

const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', '.hindsight', '__pycache__', 'test-artifacts', 'out']);
const COMMENT_BY_EXTENSION: Record<string, RegExp> = {
  '.ts': /^\/\/ \S/, '.js': /^\/\/ \S/, '.mjs': /^\/\/ \S/, '.cjs': /^\/\/ \S/, '.lua': /^-- \S/, '.py': /^# \S/,
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : sourceFiles(full);
    return Object.keys(COMMENT_BY_EXTENSION).some((ext) => entry.name.endsWith(ext)) ? [full] : [];
  });
}

/** How many lines of text the leading comment (or Python docstring) has; 0 when the file does not start with one. */
function headerLines(file: string): number {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  if (lines[0]?.startsWith('#!')) lines.shift();
  const extension = path.extname(file);
  if (extension === '.py' && /^(r?""")/.test(lines[0] ?? '')) {
    const closing = lines.findIndex((line, i) => (i === 0 ? line.replace(/^r?"""/, '') : line).includes('"""'));
    const text = lines.slice(0, closing + 1).map((line) => line.replace(/"""/g, '').trim());
    return closing < 0 ? 0 : text.filter(Boolean).length;
  }
  const comment = COMMENT_BY_EXTENSION[extension] ?? /^$/;
  const count = lines.findIndex((line) => !comment.test(line));
  return count < 0 ? lines.length : count;
}

describe('source file headers', () => {
  const files = sourceFiles(REPO);

  it('finds the sources', () => {
    assert.ok(files.some((file) => file.endsWith(path.join('protocol', 'reader', 'trace.ts'))));
    assert.ok(files.some((file) => file.endsWith('.py')));
  });

  it('opens every source file with a 1–3 line comment saying what it owns', () => {
    const offenders = files
      .map((file) => ({ file: path.relative(REPO, file), lines: headerLines(file) }))
      .filter(({ lines }) => lines < 1 || lines > 3)
      .map(({ file, lines }) => `${file}: ${lines === 0 ? 'no header comment' : `a ${lines}-line header`}`);
    assert.deepEqual(offenders, []);
  });
});
