// Diagnostics over a real LSP connection on recorded fixtures: the uncaught exception with the frames
// it went through, a handled one raised 100 times as one diagnostic, exactly the statements that never
// ran faded, nothing on edited lines, nothing for other documents; pulled or pushed by the client.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DidChangeTextDocumentNotification, DocumentDiagnosticRequest, type Diagnostic, type DocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { FULL_CLIENT, startLsp, type Lsp } from './support/lsp';
import { pythons } from './support/pythons';
import { FIXTURES, freshDir, runCli } from './support/recordings';

const RAISES = path.join(FIXTURES, 'lsp', 'raises.py');
const LINES = path.join(FIXTURES, 'lsp', 'lines.py');
const PUSH_CLIENT = { ...FULL_CLIENT, textDocument: { ...FULL_CLIENT.textDocument, diagnostic: undefined } };

/** Records a fixture into a fresh workspace's .hindsight/ and returns the workspace. */
function recordedWorkspace(program: string, ...options: string[]): string {
  const root = freshDir('lsp-diagnostics');
  fs.mkdirSync(path.join(root, '.hindsight'));
  const run = runCli(['record', ...options, '--trace', path.join(root, '.hindsight', 'run.trace.db'), program]);
  assert.ok(fs.existsSync(path.join(root, '.hindsight', 'run.trace.db')), run.stderr);
  return root;
}

/** The 0-based line of a `# mark: NAME` comment in a fixture. */
function marked(file: string, mark: string): number {
  const index = fs.readFileSync(file, 'utf8').split('\n').findIndex((line) => line.trimEnd().endsWith(`# mark: ${mark}`));
  assert.ok(index >= 0, `${file} marks ${mark}`);
  return index;
}

async function pull(lsp: Lsp, uri: string): Promise<Diagnostic[]> {
  const report: DocumentDiagnosticReport = await lsp.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
  assert.equal(report.kind, 'full');
  return report.kind === 'full' ? report.items : [];
}

/** A faded statement as compact text: "line:char-line:char" (0-based), after checking it is a Hint tagged Unnecessary. */
function faded(diagnostic: Diagnostic): string {
  assert.deepEqual([diagnostic.severity, diagnostic.tags, diagnostic.code, diagnostic.message], [4, [1], 'never-executed', 'Never executed in the recorded run']);
  const { start, end } = diagnostic.range;
  return `${start.line}:${start.character}-${end.line}:${end.character}`;
}

/** lines.py's statements that never ran: the body of never_called, the untaken branch, an uncalled method, an except body. */
const NEVER_RAN = ['11:4-11:13', '12:4-12:12', '18:8-18:21', '32:8-32:29', '39:4-39:29'];

describe('lsp diagnostics', function () {
  this.timeout(60_000);
  let raisesRoot: string;
  let linesRoot: string;
  before(() => {
    raisesRoot = recordedWorkspace(RAISES);
    linesRoot = recordedWorkspace(LINES);
  });

  it('marks the uncaught exception with the frames it went through, and a handled one raised 100 times once', async () => {
    const lsp = await startLsp({ root: raisesRoot, initializationOptions: { hindsight: { fadeUnexecuted: false } } });
    try {
      assert.deepEqual(lsp.initialized.capabilities.diagnosticProvider, { identifier: 'hindsight', interFileDependencies: false, workspaceDiagnostics: false });
      const uri = await lsp.open(RAISES);
      const items = await pull(lsp, uri);
      const raise = marked(RAISES, 'raise');
      const raiseRange = { start: { line: raise, character: 8 }, end: { line: raise, character: 37 } };
      assert.deepEqual(items, [
        {
          range: raiseRange, severity: 1, source: 'hindsight', code: 'uncaught-exception', message: 'ValueError: bad input (uncaught)',
          relatedInformation: [
            { location: { uri, range: { start: { line: marked(RAISES, 'check'), character: 4 }, end: { line: marked(RAISES, 'check'), character: 23 } } }, message: 'through check' },
            { location: { uri, range: { start: { line: marked(RAISES, 'main-call'), character: 4 }, end: { line: marked(RAISES, 'main-call'), character: 17 } } }, message: 'through main' },
            { location: { uri, range: { start: { line: marked(RAISES, 'module-call'), character: 0 }, end: { line: marked(RAISES, 'module-call'), character: 6 } } }, message: 'through <module>' },
          ],
        },
        {
          range: raiseRange, severity: 3, source: 'hindsight', code: 'handled-exception',
          message: `ValueError: bad input (raised 100 times, each caught in parse_all at line ${marked(RAISES, 'handler')})`,
          relatedInformation: [{ location: { uri, range: { start: { line: marked(RAISES, 'handler') - 1, character: 8 }, end: { line: marked(RAISES, 'handler') - 1, character: 26 } } }, message: 'caught here' }],
        },
      ]);
    } finally {
      await lsp.stop();
    }
  });

  for (const python of pythons()) {
    it(`fades exactly the statements that never ran on Python ${python.version}: not comments, blank lines, docstrings, else:, except or def lines`, async () => {
      const lsp = await startLsp({ root: recordedWorkspace(LINES, '--python', python.executable) });
      try {
        const uri = await lsp.open(LINES);
        assert.deepEqual((await pull(lsp, uri)).map(faded), NEVER_RAN);
        assert.equal(NEVER_RAN[2], `${marked(LINES, 'then')}:8-${marked(LINES, 'then')}:21`);
      } finally {
        await lsp.stop();
      }
    });
  }

  it('fades nothing when hindsight.fadeUnexecuted is false', async () => {
    const lsp = await startLsp({ root: linesRoot, initializationOptions: { hindsight: { fadeUnexecuted: false } } });
    try {
      assert.deepEqual(await pull(lsp, await lsp.open(LINES)), []);
    } finally {
      await lsp.stop();
    }
  });

  it('fades nothing when the recording stopped before the program did', async () => {
    const root = recordedWorkspace(LINES, '--max-events', '10');
    const lsp = await startLsp({ root });
    try {
      assert.deepEqual(await pull(lsp, await lsp.open(LINES)), []);
    } finally {
      await lsp.stop();
    }
  });

  it('fades nothing when code was left out of the recording by a pattern (it ran unrecorded)', async () => {
    const root = recordedWorkspace(LINES, '--exclude', 'classify');
    const lsp = await startLsp({ root });
    try {
      assert.deepEqual(await pull(lsp, await lsp.open(LINES)), []);
    } finally {
      await lsp.stop();
    }
  });

  it('shows nothing on lines edited since recording, and moves the rest with inserted lines', async () => {
    const lsp = await startLsp({ root: raisesRoot, initializationOptions: { hindsight: { handledExceptions: false } } });
    const linesLsp = await startLsp({ root: linesRoot });
    try {
      const recorded = fs.readFileSync(RAISES, 'utf8').split('\n');
      const check = marked(RAISES, 'check');
      const edited = ['import os', '', ...recorded.map((line, index) => index === check ? '    return parse(value.strip())' : line)];
      const uri = await lsp.open(RAISES, edited.join('\n'));
      const [uncaught, ...others] = await pull(lsp, uri);
      assert.deepEqual(others, []);
      const raise = marked(RAISES, 'raise') + 2;
      assert.deepEqual(uncaught?.range, { start: { line: raise, character: 8 }, end: { line: raise, character: 37 } });
      assert.deepEqual(uncaught?.relatedInformation?.map((related) => [related.location.range.start.line, related.message]),
        [[marked(RAISES, 'main-call') + 2, 'through main'], [marked(RAISES, 'module-call') + 2, 'through <module>']]);

      const lines = fs.readFileSync(LINES, 'utf8').split('\n');
      const then = marked(LINES, 'then');
      const linesUri = await linesLsp.open(LINES, ['# a new first line', ...lines.map((line, index) => index === then ? '        label = "huge"' : line)].join('\n'));
      assert.deepEqual((await pull(linesLsp, linesUri)).map(faded), ['12:4-12:13', '13:4-13:12', '33:8-33:29', '40:4-40:29']);
    } finally {
      await lsp.stop();
      await linesLsp.stop();
    }
  });

  it('says nothing about other documents: not Python, or not recorded', async () => {
    const lsp = await startLsp({ root: linesRoot });
    try {
      assert.deepEqual(await pull(lsp, await lsp.open(path.join(linesRoot, 'notes.txt'), 'x = 1\n')), []);
      assert.deepEqual(await pull(lsp, await lsp.open(path.join(linesRoot, 'other.py'), 'x = 1\n')), []);
      assert.deepEqual(await pull(lsp, await lsp.open(LINES, fs.readFileSync(LINES, 'utf8'), 'plaintext')), []);
    } finally {
      await lsp.stop();
    }
  });

  it('pushes diagnostics to a client that cannot pull, again after each change', async () => {
    const lsp = await startLsp({ root: linesRoot, capabilities: PUSH_CLIENT });
    try {
      assert.equal(lsp.initialized.capabilities.diagnosticProvider, undefined);
      const uri = await lsp.open(LINES);
      await lsp.until(() => lsp.diagnostics.has(uri), 'published diagnostics');
      assert.deepEqual(lsp.diagnostics.get(uri)?.diagnostics.map(faded), NEVER_RAN);
      const then = marked(LINES, 'then');
      await lsp.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: 100 },
        contentChanges: [{ range: { start: { line: then, character: 16 }, end: { line: then, character: 21 } }, text: '"huge"' }],
      });
      await lsp.until(() => lsp.diagnostics.get(uri)?.diagnostics.length === NEVER_RAN.length - 1, 'diagnostics without the edited line');
      assert.deepEqual(lsp.diagnostics.get(uri)?.diagnostics.map(faded), NEVER_RAN.filter((_, index) => index !== 2));
    } finally {
      await lsp.stop();
    }
  });

  it('pushes again when a trace lands', async () => {
    const root = freshDir('lsp-diagnostics-later');
    const lsp = await startLsp({ root, capabilities: PUSH_CLIENT });
    try {
      const uri = await lsp.open(LINES);
      await lsp.until(() => lsp.diagnostics.has(uri), 'the first (empty) diagnostics');
      assert.deepEqual(lsp.diagnostics.get(uri)?.diagnostics, []);
      fs.mkdirSync(path.join(root, '.hindsight'));
      const run = runCli(['record', '--trace', path.join(root, '.hindsight', 'run.trace.db'), LINES]);
      assert.equal(run.status, 0, run.stderr);
      await lsp.until(() => (lsp.diagnostics.get(uri)?.diagnostics.length ?? 0) > 0, 'diagnostics from the new trace');
      assert.deepEqual(lsp.diagnostics.get(uri)?.diagnostics.map(faded), NEVER_RAN);
    } finally {
      await lsp.stop();
    }
  });
});
